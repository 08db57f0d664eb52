"""Seasonal models fitted on many series at once: numpy arrays of shape (series, time), one row per series.

Why not statsforecast per series: without numba its MSTL costs 10–15 ms a fit and the backtest needs four fits
per model and series, so 10,000 weekly series took minutes (docs/performance.md, "Forecasts"). The models here
are the classical ones behind MSTL and Theta, written so that one numpy operation serves every series of the
same length: classical decomposition (Hyndman & Athanasopoulos, "Forecasting: Principles and Practice", 3rd ed.,
section 3.4), with or without the seasonality test of R's `forecast::thetaf`; simple exponential smoothing with
its smoothing weight chosen on a grid by one-step squared error; and the Theta method as Hyndman & Billah
("Unmasking the Theta method", 2003) state it, SES plus half the linear trend. Rows whose history is unusable
come out as NaN and drop out for that row only.
"""

from __future__ import annotations

import numpy as np

# Smoothing weights tried for SES: a grid instead of an optimiser, so every series is fitted in the same loop.
ALPHAS = np.array([0.02, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0])
SEASONALITY_Z = 1.645  # one-sided 95 % (thetaf's 90 % two-sided) test on the autocorrelation at the season lag


def seasonal_naive(y: np.ndarray, *, season: int, horizon: int) -> np.ndarray:
    """The same period one season earlier, repeated."""
    last = y[:, -season:]
    return last[:, np.arange(horizon) % season]


def _seasonal_rows(y: np.ndarray, season: int) -> np.ndarray:
    """True where the autocorrelation at the season lag is significant (Bartlett's bound on lags below it)."""
    centred = y - y.mean(axis=1, keepdims=True)
    denominator = np.sum(centred**2, axis=1)
    denominator = np.where(denominator > 0, denominator, np.inf)
    acf = np.stack([np.sum(centred[:, k:] * centred[:, :-k], axis=1) / denominator for k in range(1, season + 1)], 1)
    bound = SEASONALITY_Z * np.sqrt((1 + 2 * np.sum(acf[:, :-1] ** 2, axis=1)) / y.shape[1])
    return np.abs(acf[:, -1]) > bound


def seasonal_indices(y: np.ndarray, *, season: int, multiplicative: np.ndarray, tested: bool) -> np.ndarray:
    """Classical decomposition's seasonal index per phase (phase = position modulo season), multiplicative on the
    rows `multiplicative` marks and additive on the others. With `tested`, a row without a significant yearly
    pattern gets the neutral index (1 or 0), so its models see the series as it is."""
    rows, length = y.shape
    csum = np.concatenate([np.zeros((rows, 1)), np.cumsum(y, axis=1)], axis=1)
    moving = (csum[:, season:] - csum[:, :-season]) / season  # mean of y[t : t + season]
    trend = np.full_like(y, np.nan)
    half = season // 2
    if season % 2 == 0:  # a 2×season moving average, centred on a period
        trend[:, half : length - half] = (moving[:, :-1] + moving[:, 1:]) / 2
    else:
        trend[:, half : length - half] = moving
    with np.errstate(all="ignore"):
        ratio = np.where(multiplicative[:, None], y / trend, y - trend)
    cycles = -(-length // season)
    padded = np.full((rows, cycles * season), np.nan)
    padded[:, :length] = ratio
    with np.errstate(all="ignore"):
        index = np.nanmean(padded.reshape(rows, cycles, season), axis=1)
        index = np.where(
            multiplicative[:, None],
            index / index.mean(axis=1, keepdims=True),
            index - index.mean(axis=1, keepdims=True),
        )
    if tested:
        neutral = np.where(multiplicative, 1.0, 0.0)[:, None]
        index = np.where(_seasonal_rows(y, season)[:, None], index, neutral)
    return index


def _phase(index: np.ndarray, start: int, count: int) -> np.ndarray:
    return index[:, (start + np.arange(count)) % index.shape[1]]


def ses(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Simple exponential smoothing of each row: (final level, smoothing weight), the weight picked from ALPHAS
    by the smallest sum of squared one-step errors."""
    level = np.repeat(x[:, :1], len(ALPHAS), axis=1)
    errors = np.zeros_like(level)
    for t in range(1, x.shape[1]):
        miss = x[:, t : t + 1] - level
        errors += miss * miss
        level += ALPHAS * miss
    best = np.argmin(np.where(np.isfinite(errors), errors, np.inf), axis=1)
    rows = np.arange(x.shape[0])
    return level[rows, best], ALPHAS[best]


def _level_and_theta(x: np.ndarray, horizon: int) -> tuple[np.ndarray, np.ndarray]:
    """SES's flat forecast and Theta's (SES plus half the least-squares slope, with Hyndman & Billah's correction
    for the level SES has not yet caught up with)."""
    length = x.shape[1]
    level, alpha = ses(x)
    t = np.arange(length) - (length - 1) / 2
    slope = ((x - x.mean(axis=1, keepdims=True)) @ t) / np.sum(t**2)
    steps = np.arange(horizon)
    drift = 0.5 * slope[:, None] * (steps + 1 / alpha[:, None] - ((1 - alpha) ** length / alpha)[:, None])
    flat = np.repeat(level[:, None], horizon, axis=1)
    return flat, flat + drift


def _adjusted_theta(y: np.ndarray, season: int, horizon: int, multiplicative: np.ndarray, tested: bool) -> np.ndarray:
    """Theta on the seasonally adjusted rows, put back on the season."""
    length = y.shape[1]
    index = seasonal_indices(y, season=season, multiplicative=multiplicative, tested=tested)
    past, future = _phase(index, 0, length), _phase(index, length, horizon)
    mult = multiplicative[:, None]
    with np.errstate(all="ignore"):
        _, theta = _level_and_theta(np.where(mult, y / past, y - past), horizon)
        return np.where(mult, theta * future, theta + future)


def seasonal_models(y: np.ndarray, *, season: int, horizon: int) -> dict[str, np.ndarray]:
    """`horizon` forecasts per row from each model, for rows holding at least two full seasons and one more point:
    seasonal naive; `theta` as R's thetaf (the season removed only where the test finds one, multiplicatively
    when every value is positive); `decomposed`, Theta on the series with an additive season always removed, as
    MSTL removes it. The two differ most where a season is weak, which is what makes their average (the
    ensemble) better than either on the M4 weekly series (docs/performance.md, "Forecasts")."""
    positive = np.all(y > 0, axis=1)
    return {
        "seasonal_naive": seasonal_naive(y, season=season, horizon=horizon),
        "theta": _adjusted_theta(y, season, horizon, positive, tested=True),
        "decomposed": _adjusted_theta(y, season, horizon, np.zeros_like(positive), tested=False),
    }


def short_models(y: np.ndarray, *, horizon: int) -> dict[str, np.ndarray]:
    """Models for rows too short for a season: the last value (naive), the average change carried on (drift,
    a random walk with drift), SES and Theta."""
    steps = np.arange(1, horizon + 1)
    last = y[:, -1:]
    with np.errstate(all="ignore"):
        flat, theta = _level_and_theta(y, horizon)
        return {
            "naive": np.repeat(last, horizon, axis=1),
            "drift": last + (y[:, -1:] - y[:, :1]) / (y.shape[1] - 1) * steps,
            "ses": flat,
            "theta": theta,
        }
