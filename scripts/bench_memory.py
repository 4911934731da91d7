"""Memory figures of a process and its WebKit children for scripts/bench_app.py: PSS and private memory from
/proc (smaps_rollup, smaps), by process and by mapping, and a wait until they hold still."""
import os
import time

MIB = 1024.0


def family(pid):
    """The process and its descendants (the WebKit web and network processes), as (pid, name)."""
    parents = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    parents[int(entry)] = int(f.read().rsplit(")", 1)[1].split()[1])
            except OSError:
                pass
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        try:
            name = os.path.basename(open(f"/proc/{p}/cmdline", "rb").read().split(b"\0")[0].decode()) or "?"
        except OSError:
            continue
        found.append((p, name))
        todo += [c for c, parent in parents.items() if parent == p]
    return found


def rollup_kib(pid):
    """(PSS, private) KiB from smaps_rollup. PSS splits each shared page among every process on the machine that
    maps it (other WebKit apps included), so private (Private_Clean + Private_Dirty) is printed beside it: it does
    not move when other programs start or stop."""
    pss = private = 0
    with open(f"/proc/{pid}/smaps_rollup") as f:
        for line in f:
            if line.startswith("Pss:"):
                pss = int(line.split()[1])
            elif line.startswith(("Private_Clean:", "Private_Dirty:")):
                private += int(line.split()[1])
    return pss, private


def pss_line(pid):
    """'PSS X MiB (app A, WebKitWebProcess W, WebKitNetworkProcess N); private …', and the PSS total in MiB."""
    parts, private_parts, total, total_private = [], [], 0, 0
    for p, name in family(pid):
        pss, private = rollup_kib(p)
        total, total_private = total + pss, total_private + private
        label = "app" if p == pid else name
        parts.append(f"{label} {pss / MIB:.1f}")
        private_parts.append(f"{label} {private / MIB:.1f}")
    return (f"PSS {total / MIB:.1f} MiB ({', '.join(parts)}); private {total_private / MIB:.1f} MiB "
            f"({', '.join(private_parts)})", total / MIB)


def by_mapping(pid, top=5):
    """The `top` largest private (clean + dirty) parts of a process, by mapping: a file by its name, anonymous memory
    by its permissions and size class (JavaScriptCore's heap and JIT regions, malloc arenas). Where a growth is."""
    kinds, current = {}, None
    with open(f"/proc/{pid}/smaps") as f:
        for line in f:
            head = line.split(maxsplit=5)
            if "-" in head[0] and len(head) >= 5 and ":" in head[3]:
                lo, hi = (int(x, 16) for x in head[0].split("-"))
                kib = (hi - lo) // 1024
                size = "<1M" if kib < 1024 else "<64M" if kib < 65536 else ">=64M"
                current = head[5].strip() if len(head) > 5 else f"[anon {head[1]} {size}]"
                current = current.rsplit("/", 1)[-1]
            elif line.startswith(("Private_Clean:", "Private_Dirty:")):
                kinds[current] = kinds.get(current, 0) + int(line.split()[1])
    ranked = sorted(kinds.items(), key=lambda kv: -kv[1])[:top]
    return ", ".join(f"{name} {kib / MIB:.1f}" for name, kib in ranked)


def mapping_lines(pid):
    """With BENCH_SMAPS=1, a line per process of the family with its BENCH_SMAPS_TOP (5) largest private mappings."""
    if os.environ.get("BENCH_SMAPS") != "1":
        return []
    top = int(os.environ.get("BENCH_SMAPS_TOP", "5"))
    return [f"    private by mapping, {'app' if p == pid else name}: {by_mapping(p, top)}" for p, name in family(pid)]


def settle(pid, timeout=30.0):
    """Waits until the family's PSS holds still (within 0.5 MiB over one second), so "idle" means idle."""
    deadline = time.monotonic() + timeout
    _, last = pss_line(pid)
    while time.monotonic() < deadline:
        time.sleep(1.0)
        line, total = pss_line(pid)
        if abs(total - last) < 0.5:
            return line
        last = total
    return pss_line(pid)[0] + " (still moving)"
