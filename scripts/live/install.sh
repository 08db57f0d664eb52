#!/bin/sh
# Debian's packages for the hub's own RTMP ingest and HLS (docs/selling-events.md, "Livestream selling").
# The hub runs without them (links from YouTube, Facebook, TikTok still work). The test command (scripts/test.sh)
# installs the same packages, and tests/campaigns/test_live_rtmp.py streams through them for real (skipped with
# the reason outside CI when they are missing).
set -eu
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nginx-light libnginx-mod-rtmp ffmpeg
