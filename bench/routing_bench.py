"""Routing quality on CVRPLIB instances: PyVRP (the hub's planner) beside OR-Tools' guided local search.

Reads the vendored instances in bench/data/cvrplib/ with `vrplib` (no download at run time), rounds the Euclidean
distances to integers as CVRPLIB's best-known costs do, gives each solver the same wall-clock budget on one core
and prints the gap to the best-known cost. Usage:

    .venv/bin/python bench/routing_bench.py [--seconds 10,30] [--instances X-n101-k25,X-n200-k36] [--seed 0]
"""

from __future__ import annotations

import argparse
import itertools
import os
import platform
import time
from pathlib import Path

import numpy as np
import vrplib

DATA = Path(__file__).parent / "data" / "cvrplib"
# Best-known (here proven optimal) costs from CVRPLIB, http://vrp.galgos.inf.puc-rio.br/ (Uchoa et al. 2017).
BEST_KNOWN = {"X-n101-k25": 27591, "X-n200-k36": 58578}


def _matrix(instance: dict) -> np.ndarray:
    """CVRPLIB's EUC_2D convention: Euclidean distance rounded to the nearest integer."""
    coords = np.asarray(instance["node_coord"], dtype=float)
    diff = coords[:, None, :] - coords[None, :, :]
    return np.rint(np.sqrt((diff**2).sum(axis=2))).astype(int)


def _cost(matrix: np.ndarray, routes: list[list[int]]) -> int:
    total = 0
    for route in routes:
        path = [0, *route, 0]
        total += int(sum(matrix[a, b] for a, b in itertools.pairwise(path)))
    return total


def _check(instance: dict, routes: list[list[int]]) -> None:
    """Every client exactly once and no vehicle over capacity: a gap on an invalid solution means nothing."""
    visited = sorted(c for r in routes for c in r)
    if visited != list(range(1, int(instance["dimension"]))):
        raise SystemExit("a solver returned a solution that does not visit every client exactly once")
    demand = instance["demand"]
    if any(int(sum(demand[c] for c in r)) > int(instance["capacity"]) for r in routes):
        raise SystemExit("a solver returned a route over capacity")


def run_pyvrp(instance: dict, matrix: np.ndarray, seconds: float, seed: int) -> list[list[int]]:
    from pyvrp import Model
    from pyvrp.stop import MaxRuntime

    model = Model()
    coords = instance["node_coord"]
    locations = [model.add_location(x=float(x), y=float(y)) for x, y in coords]
    model.add_depot(locations[0])
    clients = [model.add_client(locations[i], delivery=[int(instance["demand"][i])]) for i in range(1, len(locations))]
    # As many vehicles as clients: CVRPLIB's X set leaves the fleet size free.
    model.add_vehicle_type(num_available=len(clients), capacity=[int(instance["capacity"])])
    for i, frm in enumerate(locations):
        for j, to in enumerate(locations):
            model.add_edge(frm, to, distance=int(matrix[i, j]))
    result = model.solve(stop=MaxRuntime(seconds), seed=seed, display=False)
    # Client activities carry the client's index (0-based among clients); location 0 is the depot.
    return [[a.idx + 1 for a in route if a.is_client()] for route in result.best.routes()]


def run_ortools(instance: dict, matrix: np.ndarray, seconds: float) -> list[list[int]]:
    from ortools.constraint_solver import pywrapcp, routing_enums_pb2

    n = len(matrix)
    manager = pywrapcp.RoutingIndexManager(n, n - 1, 0)
    routing = pywrapcp.RoutingModel(manager)
    dist = matrix.tolist()
    transit = routing.RegisterTransitCallback(lambda a, b: dist[manager.IndexToNode(a)][manager.IndexToNode(b)])
    routing.SetArcCostEvaluatorOfAllVehicles(transit)
    demand = [int(d) for d in instance["demand"]]
    load = routing.RegisterUnaryTransitCallback(lambda a: demand[manager.IndexToNode(a)])
    routing.AddDimensionWithVehicleCapacity(load, 0, [int(instance["capacity"])] * (n - 1), True, "load")
    params = pywrapcp.DefaultRoutingSearchParameters()
    params.first_solution_strategy = routing_enums_pb2.FirstSolutionStrategy.PATH_CHEAPEST_ARC
    params.local_search_metaheuristic = routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH
    params.time_limit.FromMilliseconds(int(seconds * 1000))
    solution = routing.SolveWithParameters(params)
    if solution is None:
        raise SystemExit("OR-Tools found no solution")
    routes = []
    for v in range(n - 1):
        index, route = routing.Start(v), []
        index = solution.Value(routing.NextVar(index))
        while not routing.IsEnd(index):
            route.append(manager.IndexToNode(index))
            index = solution.Value(routing.NextVar(index))
        if route:
            routes.append(route)
    return routes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", default="10,30", help="comma-separated time budgets per solver and instance")
    parser.add_argument("--instances", default=",".join(BEST_KNOWN), help="comma-separated CVRPLIB names")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    budgets = [float(s) for s in args.seconds.split(",") if s.strip()]
    names = [n.strip() for n in args.instances.split(",") if n.strip()]
    unknown = [n for n in names if n not in BEST_KNOWN or not (DATA / f"{n}.vrp").exists()]
    if unknown:
        raise SystemExit(f"no vendored instance or best-known cost for: {', '.join(unknown)}")
    print(f"# {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}")
    print(f"# {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, seed {args.seed}")
    print("| instance | budget | solver | cost | best known | gap | routes |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for name in names:
        instance = vrplib.read_instance(str(DATA / f"{name}.vrp"))
        matrix = _matrix(instance)
        for seconds in budgets:
            for solver in ("PyVRP", "OR-Tools GLS"):
                if solver == "PyVRP":
                    routes = run_pyvrp(instance, matrix, seconds, args.seed)
                else:
                    routes = run_ortools(instance, matrix, seconds)
                _check(instance, routes)
                cost = _cost(matrix, routes)
                gap = 100 * (cost - BEST_KNOWN[name]) / BEST_KNOWN[name]
                row = [name, f"{seconds:g} s", solver, cost, BEST_KNOWN[name], f"{gap:.2f} %", len(routes)]
                print("| " + " | ".join(str(cell) for cell in row) + " |", flush=True)


if __name__ == "__main__":
    main()
