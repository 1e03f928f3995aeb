"""Compares ways to take the step's picture on this machine: per method, the wall time
of a capture, the CPU time Chromium and chromedriver spent on it (from /proc, their
whole process tree), and the file size; whether the lossless ones give the same pixels.

    python3 bench/capture.py [--rounds N] [--url URL]

Methods alternate round by round (A, B, C, ... then again), so a machine whose load
drifts slows them alike. Needs chromedriver and Chromium, and a page to picture (by
default bench/page.html served from the repository)."""
import argparse, base64, http.server, json, os, socket, statistics, struct, subprocess
import sys, threading, time, urllib.request, zlib
import websocket  # websocket-client

def free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close(); return p

def call(method, url, body=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=60) as r:
        return json.loads(r.read())["value"]

TICK = os.sysconf("SC_CLK_TCK")
def tree(pid):
    kids = {}
    for p in os.listdir("/proc"):
        if p.isdigit():
            try:
                st = open(f"/proc/{p}/stat").read()
                ppid = int(st[st.rindex(")") + 2:].split()[1])
                kids.setdefault(ppid, []).append(int(p))
            except OSError:
                pass
    out, todo = [], [pid]
    while todo:
        q = todo.pop(); out.append(q); todo.extend(kids.get(q, []))
    return out
def cpu_ms(pids):
    t = 0
    for p in pids:
        try:
            f = open(f"/proc/{p}/stat").read()
            f = f[f.rindex(")") + 2:].split()
            t += int(f[11]) + int(f[12])
        except OSError:
            pass
    return t * 1000 / TICK

def png_pixels(png):
    """RGB(A) rows of an 8-bit PNG, unfiltered."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    i, idat, w = 8, b"", None
    while i < len(png):
        n, kind = struct.unpack(">I4s", png[i:i + 8])
        chunk = png[i + 8:i + 8 + n]
        if kind == b"IHDR":
            w, h, depth, color = struct.unpack(">IIBB", chunk[:10])
            bpp = {2: 3, 6: 4}[color]
        elif kind == b"IDAT":
            idat += chunk
        i += 12 + n
    raw = zlib.decompress(idat)
    stride = w * bpp
    rows, prev = [], bytearray(stride)
    for y in range(h):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b = prev[x]
            c = prev[x - bpp] if x >= bpp else 0
            if f == 1: line[x] = (line[x] + a) & 255
            elif f == 2: line[x] = (line[x] + b) & 255
            elif f == 3: line[x] = (line[x] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c; pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line[i] for i in range(stride) if bpp == 3 or i % 4 != 3))
        prev = line
    return w, h, b"".join(rows)

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=20)
    ap.add_argument("--url")
    ap.add_argument("--keep", help="folder to keep one picture of each method in")
    args = ap.parse_args()
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    url = args.url
    if not url:
        port = free_port()
        class Quiet(http.server.SimpleHTTPRequestHandler):
            def __init__(self, *a, **k):
                super().__init__(*a, directory=root, **k)
            def log_message(self, *a):
                pass
        srv = http.server.ThreadingHTTPServer(("127.0.0.1", port), Quiet)
        threading.Thread(target=srv.serve_forever, daemon=True).start()
        url = f"http://127.0.0.1:{port}/bench/page.html"
    dport = free_port()
    driver = subprocess.Popen(["chromedriver", f"--port={dport}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{dport}"
    for _ in range(100):
        try: urllib.request.urlopen(base + "/status", timeout=1); break
        except OSError: time.sleep(0.1)
    # As setupwright starts it (src/driver/mod.rs).
    chrome_args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--headless=new",
                   "--disable-background-timer-throttling", "--disable-renderer-backgrounding",
                   "--disable-features=PaintHolding", "--window-size=1366,900"]
    caps = {"capabilities": {"alwaysMatch": {"browserName": "chrome", "webSocketUrl": True,
            "goog:chromeOptions": {"args": chrome_args, "binary": "/usr/bin/chromium"}}}}
    sess = call("POST", base + "/session", caps)
    sid = sess["sessionId"]
    ws = websocket.create_connection(sess["capabilities"]["webSocketUrl"])
    ids = iter(range(1, 10**9))
    def bidi(method, params):
        i = next(ids)
        ws.send(json.dumps({"id": i, "method": method, "params": params}))
        while True:
            m = json.loads(ws.recv())
            if m.get("id") == i:
                if m.get("type") == "error": raise RuntimeError(m)
                return m["result"]
    try:
        call("POST", f"{base}/session/{sid}/url", {"url": url})
        time.sleep(1)
        ctx = call("GET", f"{base}/session/{sid}/window")
        cdp = lambda cmd, params: call("POST", f"{base}/session/{sid}/goog/cdp/execute", {"cmd": cmd, "params": params})
        methods = {
            "WebDriver Take Screenshot (PNG, today)": lambda: call("GET", f"{base}/session/{sid}/screenshot"),
            "BiDi captureScreenshot PNG": lambda: bidi("browsingContext.captureScreenshot", {"context": ctx})["data"],
            "BiDi captureScreenshot PNG, clip to viewport": lambda: bidi("browsingContext.captureScreenshot", {"context": ctx, "origin": "viewport", "clip": {"type": "box", "x": 0, "y": 0, "width": 1366, "height": 900}})["data"],
            "BiDi JPEG q80": lambda: bidi("browsingContext.captureScreenshot", {"context": ctx, "format": {"type": "image/jpeg", "quality": 0.8}})["data"],
            "BiDi WebP q80": lambda: bidi("browsingContext.captureScreenshot", {"context": ctx, "format": {"type": "image/webp", "quality": 0.8}})["data"],
            "CDP PNG": lambda: cdp("Page.captureScreenshot", {"format": "png"})["data"],
            "CDP PNG optimizeForSpeed": lambda: cdp("Page.captureScreenshot", {"format": "png", "optimizeForSpeed": True})["data"],
            "CDP JPEG q80 optimizeForSpeed": lambda: cdp("Page.captureScreenshot", {"format": "jpeg", "quality": 80, "optimizeForSpeed": True})["data"],
        }
        chromium = [p for p in tree(driver.pid) if p != driver.pid]
        stats = {m: {"wall": [], "chrome": [], "driver": [], "bytes": []} for m in methods}
        kept = {}
        for m, f in methods.items():
            kept[m] = base64.b64decode(f())  # warm each path once
        for _ in range(args.rounds):
            for m, f in methods.items():
                c0, d0, t0 = cpu_ms(chromium), cpu_ms([driver.pid]), time.perf_counter()
                data = base64.b64decode(f())
                t1 = time.perf_counter()
                # Let the browser finish what the capture started before reading its CPU.
                time.sleep(0.05)
                s = stats[m]
                s["wall"].append((t1 - t0) * 1000)
                s["chrome"].append(cpu_ms(chromium) - c0)
                s["driver"].append(cpu_ms([driver.pid]) - d0)
                s["bytes"].append(len(data))
        load = open("/proc/loadavg").read().split()[:3]
        print(f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {os.cpu_count()} cores, load {' '.join(load)}, {args.rounds} rounds, {url}")
        print(f"{'method':48} {'wall ms median (min-max)':>26} {'Chromium CPU ms/shot':>21} {'chromedriver CPU':>17} {'KB':>6}")
        for m, s in stats.items():
            w = s["wall"]
            print(f"{m:48} {statistics.median(w):8.1f} ({min(w):5.1f}-{max(w):6.1f})      {statistics.mean(s['chrome']):12.1f}      {statistics.mean(s['driver']):12.1f} {statistics.median(s['bytes']) / 1024:6.0f}")
        ref = png_pixels(kept["WebDriver Take Screenshot (PNG, today)"])
        for m in ["BiDi captureScreenshot PNG", "BiDi captureScreenshot PNG, clip to viewport", "CDP PNG", "CDP PNG optimizeForSpeed"]:
            px = png_pixels(kept[m])
            print(f"same pixels as today's: {m}: {px == ref} ({px[0]}x{px[1]} against {ref[0]}x{ref[1]})")
        if args.keep:
            os.makedirs(args.keep, exist_ok=True)
            for i, (m, data) in enumerate(kept.items()):
                ext = "jpg" if "JPEG" in m else "webp" if "WebP" in m else "png"
                open(os.path.join(args.keep, f"{i}.{ext}"), "wb").write(data)
    finally:
        try: call("DELETE", f"{base}/session/{sid}")
        except Exception: pass
        driver.terminate()

main()
