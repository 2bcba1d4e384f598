#!/usr/bin/env bash
# Usage: pin-action-image.sh IMAGE [ACTION_YML]
#
# Points the action at a prebuilt image: replaces `runs.image: Dockerfile` in
# action.yml by `image: docker://IMAGE`, so a workflow using a release pulls
# the image (seconds) instead of building the Dockerfile (minutes) in every job.
# Idempotent: an action.yml that already names IMAGE is left as it is.
set -euo pipefail

image=${1:?usage: pin-action-image.sh IMAGE [ACTION_YML]}
file=${2:-action.yml}
want="  image: docker://$image"

if grep -qxF "$want" "$file"; then
  echo "$file already runs docker://$image"
  exit 0
fi

# runs.image is the only key indented by two spaces named image.
if [[ $(grep -cE '^  image:' "$file") -ne 1 ]] || ! grep -qxE "  image: ['\"]?Dockerfile['\"]?" "$file"; then
  echo "::error file=$file::expected exactly one 'image: Dockerfile' line under runs: in $file"
  exit 1
fi

sed -i -E "s|^  image: .*$|$want|" "$file"
grep -qxF "$want" "$file"
echo "$file now runs docker://$image"
