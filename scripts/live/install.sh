#!/bin/sh
# Debian's packages for the hub's own RTMP ingest and HLS (docs/selling-events.md, "Livestream selling").
# The hub runs without them (links from YouTube, Facebook, TikTok still work). For CI: .ci/run is to call this
# only when asked (e.g. TAYBAC_LIVE_RTMP=1; not wired yet), and tests/campaigns/test_live_rtmp.py then streams
# through it for real; without the packages that test is skipped with the reason.
set -eu
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nginx-light libnginx-mod-rtmp ffmpeg
