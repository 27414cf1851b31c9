#!/bin/sh
# Installs the PyTorch baseline of bench/score.ts when it is missing: Debian's python3-torch, and OpenBLAS
# (without libopenblas0-pthread, Debian's torch links the generic reference BLAS and runs about 20x slower).
# Not a CI dependency (CI runs npm test only); the bench calls this itself.
set -e
missing=""
/usr/bin/python3 -c "import torch" 2>/dev/null || missing="python3-torch"
dpkg -s libopenblas0-pthread >/dev/null 2>&1 || missing="$missing libopenblas0-pthread"
[ -z "$missing" ] && exit 0
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
$SUDO apt-get update -q
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q $missing
