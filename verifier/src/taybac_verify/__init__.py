"""taybac-verify: check Tây Bắc Hub's transparency log without trusting the hub, and without Django.

- `tlog`: RFC 9162 Merkle trees, inclusion and consistency proofs (standard library only);
- `note`: C2SP signed notes, checkpoints and witness cosignatures (Ed25519 from `cryptography`);
- `verifier`: the `taybac-verify` command line and `fetch_and_verify` / `verify_target`; its checks live in
  `bundle` (one lot's bundle), `state` (the checkpoint remembered between runs) and `scan` (the whole log);
- `witness`: the `taybac-witness` command line: poll, check and cosign the hub's checkpoints.
"""
