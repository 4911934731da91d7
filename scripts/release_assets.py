#!/usr/bin/env python3
"""Release assets for the updater: stages a build's installers and their minisign signatures under names without
spaces, and writes the update feed (latest.json) that tauri-plugin-updater reads.

  release_assets.py stage --platform linux-x64 --bundle-dir target/release/bundle --out dist
      copies deb/rpm/msi/nsis/dmg/app.tar.gz (+ .sig) into dist/ and writes dist/linux-x64.platforms.json
  release_assets.py feed --version 0.1.1 --base-url https://host/path dist > latest.json
      joins every *.platforms.json into the feed: {"version", "notes", "pub_date", "platforms": {key: {url, signature}}}

Feed keys are the plugin's `{os}-{arch}-{installer}` (it tries that first, then `{os}-{arch}`): a .deb install
updates from the .deb, an .rpm install from the .rpm, an MSI install from the .msi, an NSIS install from the -setup.exe.
Used by .github/workflows/release.yml and by the update end-to-end test."""
import argparse
import datetime
import json
import shutil
import sys
from pathlib import Path

# matrix name -> (os, arch) as the updater spells them
PLATFORMS = {
    "linux-x64": ("linux", "x86_64"),
    "windows-x64": ("windows", "x86_64"),
    "macos-arm64": ("darwin", "aarch64"),
    "macos-x64": ("darwin", "x86_64"),
}
# bundle folder, file suffix, installer name in the feed key (None: the platform's only updater format)
KINDS = [
    ("deb", ".deb", "deb"),
    ("rpm", ".rpm", "rpm"),
    ("msi", ".msi", "msi"),
    ("nsis", "-setup.exe", "nsis"),
    ("macos", ".app.tar.gz", None),
    ("dmg", ".dmg", None),  # installer only: the updater installs from .app.tar.gz
]


def stage(platform, bundle_dir, out):
    os_name, arch = PLATFORMS[platform]
    out.mkdir(parents=True, exist_ok=True)
    keys = {}
    for folder, suffix, installer in KINDS:
        for src in sorted((bundle_dir / folder).glob(f"*{suffix}")):
            stem = src.name[: -len(suffix)].replace(" ", "-")
            # Both macOS builds make "<App>.app.tar.gz": the arch keeps them apart.
            name = f"{stem}_{arch}{suffix}" if folder == "macos" else f"{stem}{suffix}"
            shutil.copy2(src, out / name)
            sig = src.with_name(src.name + ".sig")
            if not sig.exists():
                if folder == "dmg":
                    continue
                sys.exit(f"stage: {src} has no signature {sig.name} (TAURI_SIGNING_PRIVATE_KEY not set?)")
            shutil.copy2(sig, out / (name + ".sig"))
            if folder == "dmg":
                continue
            entry = {"file": name, "signature": sig.read_text().strip()}
            if installer:
                keys[f"{os_name}-{arch}-{installer}"] = entry
            else:
                keys[f"{os_name}-{arch}"] = entry
    # Windows: an install that does not say its type gets the NSIS installer (the bundler's default).
    if f"{os_name}-{arch}-nsis" in keys:
        keys[f"{os_name}-{arch}"] = keys[f"{os_name}-{arch}-nsis"]
    if not keys:
        sys.exit(f"stage: no updater artifact in {bundle_dir}")
    (out / f"{platform}.platforms.json").write_text(json.dumps(keys, indent=2))
    for key, entry in sorted(keys.items()):
        print(f"{key}: {entry['file']}")


def feed(version, base_url, notes, folders):
    platforms = {}
    for folder in folders:
        for part in sorted(Path(folder).glob("*.platforms.json")):
            for key, entry in json.loads(part.read_text()).items():
                platforms[key] = {"signature": entry["signature"], "url": f"{base_url.rstrip('/')}/{entry['file']}"}
    if not platforms:
        sys.exit("feed: no *.platforms.json found")
    now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
    doc = {"version": version, "notes": notes, "pub_date": now.isoformat().replace("+00:00", "Z"), "platforms": platforms}
    json.dump(doc, sys.stdout, indent=2)
    print()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    s = sub.add_parser("stage")
    s.add_argument("--platform", required=True, choices=sorted(PLATFORMS))
    s.add_argument("--bundle-dir", required=True, type=Path)
    s.add_argument("--out", required=True, type=Path)
    f = sub.add_parser("feed")
    f.add_argument("--version", required=True)
    f.add_argument("--base-url", required=True)
    f.add_argument("--notes", default="")
    f.add_argument("folders", nargs="+")
    args = parser.parse_args()
    if args.command == "stage":
        stage(args.platform, args.bundle_dir, args.out)
    else:
        feed(args.version.removeprefix("v"), args.base_url, args.notes, args.folders)


if __name__ == "__main__":
    main()
