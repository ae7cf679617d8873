#!/usr/bin/env bash
# Installs the system programs foialog uses beside Python: Tesseract (OCR) and poppler (page images).
# Never fails the set-up: where it cannot install, it says what is missing and how to add it.
set -u
need=()
command -v tesseract >/dev/null 2>&1 || need+=(tesseract-ocr tesseract-ocr-eng)
command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)
# Debian's Chromium, which the report test drives with Playwright (never `playwright install`).
[ -x /usr/bin/chromium ] || need+=(chromium)
# A Java runtime for tabula-py, one of the peers bench/peers.py measures foialog against.
command -v java >/dev/null 2>&1 || need+=(default-jre-headless)
if [ ${#need[@]} -eq 0 ]; then
  echo "system: tesseract $(tesseract --version 2>&1 | head -n1 | awk '{print $2}'), poppler, chromium and java present"
  exit 0
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null && sudo="sudo -n"
fi
if command -v apt-get >/dev/null 2>&1 && { [ "$(id -u)" -eq 0 ] || [ -n "$sudo" ]; }; then
  echo "system: installing ${need[*]} with apt-get"
  if $sudo apt-get update -qq >/dev/null && \
     DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >/dev/null; then
    echo "system: installed ${need[*]}"
    exit 0
  fi
fi
cat <<MSG
system: NOT INSTALLED: ${need[*]}
  foialog reads spreadsheets and CSVs without them; OCR of scans and page images need them;
  the report test needs chromium; the peers test needs java (default-jre-headless).
  Install them yourself, then run make again:
    Debian/Ubuntu: sudo apt-get install tesseract-ocr tesseract-ocr-eng poppler-utils chromium default-jre-headless
    macOS:         brew install tesseract poppler
MSG
exit 0
