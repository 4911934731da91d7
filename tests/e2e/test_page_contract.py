"""The page's contract with the app, checked without starting it: the official Tauri API the page imports is the
pinned package's own files (ui/vendor/tauri-api/, written by scripts/vendor-tauri-api.mjs), only backend.js imports
it, the global API bundle stays off, and the page (everything under ui/, all embedded in the binary) stays small."""
import json
import re
import shutil
import subprocess

from conftest import ROOT, signed_in

UI = ROOT / "ui"
PAGE_LIMIT = 512 * 1024  # 0.5 MiB


def test_vendored_tauri_api_is_the_pinned_package():
    node = shutil.which("node")
    assert node, "node (scripts/setup-debian.sh installs it with npm)"
    run = subprocess.run([node, str(ROOT / "scripts" / "vendor-tauri-api.mjs"), "--check"], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr + run.stdout


def test_the_api_is_the_version_of_the_tauri_crate():
    """@tauri-apps/api is pinned to the tauri crate that Cargo.lock holds (the crate floats as "2" in Cargo.toml)."""
    pinned = json.loads((ROOT / "package.json").read_text())["dependencies"]["@tauri-apps/api"]
    crate = re.search(r'name = "tauri"\nversion = "([^"]+)"', (ROOT / "Cargo.lock").read_text()).group(1)
    assert pinned.split(".")[:2] == crate.split(".")[:2], f"@tauri-apps/api {pinned} with the tauri crate {crate}"


def test_only_backend_js_imports_tauri():
    config = json.loads((ROOT / "tauri.conf.json").read_text())
    assert config["app"].get("withGlobalTauri") is False, "the global API bundle stays off"
    for path in [*UI.glob("js/*.js"), *UI.glob("*.html")]:
        if path.name == "backend.js":
            continue
        text = path.read_text()
        assert "vendor/tauri-api" not in text and "__TAURI" not in text, f"{path.relative_to(ROOT)} reaches Tauri: go through backend.js"
    assert "../vendor/tauri-api/core.js" in (UI / "js" / "backend.js").read_text()


def test_the_page_is_at_most_half_a_mebibyte():
    total = sum(p.stat().st_size for p in UI.rglob("*") if p.is_file())
    assert total <= PAGE_LIMIT, f"ui/ is {total} bytes, over {PAGE_LIMIT}"


def test_a_list_keeps_its_rows_by_key_in_the_window(sim, profile, launch):
    """dom.js fillList in the real webview: a key shown again keeps its element, moved when the order changes; a
    row no key wants is hidden and emptied, then taken by the next new key; no element is made twice."""
    app = signed_in(sim, profile, launch)
    seen = app.driver.execute_async_script("""
        const done = arguments[arguments.length - 1];
        import('./js/dom.js').then(({ fillList }) => {
          const ol = document.createElement('ol');
          let made = 0;
          const parts = { key: (x) => x, make: () => { made += 1; return document.createElement('li'); },
            fill: (li, x) => { li.textContent = x; }, empty: (li) => { li.textContent = ''; } };
          const text = () => [...ol.children].map((li) => (li.hidden ? `(${li.textContent})` : li.textContent)).join(' ');
          fillList(ol, ['a', 'b', 'c'], parts);
          const [a, b, c] = ol.children;
          fillList(ol, ['c', 'a'], parts);
          const moved = ol.children[0] === c && ol.children[1] === a && ol.children[2] === b;
          const after = text();
          fillList(ol, ['a', 'd', 'c'], parts);
          const reused = ol.children[0] === a && ol.children[1] === b && ol.children[2] === c;
          fillList(ol, [], { ...parts, none: (li) => { li.textContent = 'none'; } });
          done({ made, moved, after, reused, last: text() });
        }, (e) => done(String(e)));
    """)
    assert seen == {"made": 3, "moved": True, "after": "c a ()", "reused": True, "last": "none () () ()"}, seen
