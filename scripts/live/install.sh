#!/bin/sh
# Debian's packages for the hub's own RTMP ingest and HLS (docs/selling-events.md, "Livestream selling").
# The hub runs without them (links from YouTube, Facebook, TikTok still work); CI runs this only when asked
# (TAYBAC_LIVE_RTMP=1 in .ci/run), and tests/campaigns/test_live_rtmp.py then streams through it for real.
set -eu
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nginx-light libnginx-mod-rtmp ffmpeg
