#!/bin/sh
# Start nginx-rtmp for the hub's live pages in the foreground, with everything under one directory.
# usage: scripts/live/run-nginx.sh <work dir> <hub URL, e.g. http://127.0.0.1:8000> [rtmp port] [http port]
# Then publish (OBS, Larix, or ffmpeg) to rtmp://127.0.0.1:<rtmp port>/live/<stream key from the seller centre>
# and the HLS playlists appear at http://127.0.0.1:<http port>/hls/live-<session id>.m3u8 (_low, _audio).
set -eu
work=$1
hub=$2
rtmp_port=${3:-1935}
http_port=${4:-8088}
here=$(cd "$(dirname "$0")" && pwd)
modules=${NGINX_MODULES:-/usr/lib/nginx/modules}
ffmpeg=$(command -v ffmpeg)
mkdir -p "$work/hls" "$work/run"
sed -e "s|@MODULES@|$modules|g" -e "s|@RUN@|$work/run|g" -e "s|@HLS_DIR@|$work/hls|g" \
    -e "s|@USER@|$(id -un)|g" -e "s|@RTMP_PORT@|$rtmp_port|g" -e "s|@HTTP_PORT@|$http_port|g" -e "s|@HUB@|$hub|g" -e "s|@FFMPEG@|$ffmpeg|g" \
    "$here/nginx-live.conf.in" > "$work/nginx.conf"
exec nginx -p "$work/run" -c "$work/nginx.conf" -g "daemon off;"
