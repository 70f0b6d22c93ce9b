#!/usr/bin/env python3
"""Checks of hte's pictures (issue 16), independent of the drawing code.

  check.py forest SVG PNG EXPECTED.json   the SVG's marks against the axis its
                                          tick labels define, then the pixels
                                          of the browser's rendering (PNG)
  check.py qte SVG PNG EXPECTED.json      the same for a QTE profile
  check.py text TEXT EXPECTED.json        a text forest plot or QTE profile:
                                          markers in the columns the axis puts
                                          them

EXPECTED.json comes from the aggregates (cate_by, ate, qte), not from the
plot: {"rows": [{"label", "estimate", "ci_lower", "ci_upper"}, ...],
"overall": {...} or null, "log_scale": bool}; QTE rows carry "q".
Prints one line per failed check and "checks: N passed, M failed" last;
exits non-zero on a failure.  Only the standard library (PNG decoded here).
"""
import json
import math
import re
import struct
import sys
import xml.etree.ElementTree as ET
import zlib

NS = {"s": "http://www.w3.org/2000/svg"}
BLUE = (0x00, 0x72, 0xB2)
VERMILLION = (0xD5, 0x5E, 0x00)

passed = 0
failed = 0


def check(ok, what):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print("FAILED: " + what)


# ---------------------------------------------------------------- PNG
def read_png(path):
    """(width, height, rows of (r, g, b) tuples) of an 8-bit PNG."""
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    pos, idat, w = 8, b"", None
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        kind = data[pos + 4:pos + 8]
        body = data[pos + 8:pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            w, h, depth, ctype, _, _, interlace = struct.unpack(">IIBBBBB", body)
            if depth != 8 or ctype not in (2, 6) or interlace:
                raise ValueError("unsupported PNG (depth %d, colour type %d)" % (depth, ctype))
            bpp = 3 if ctype == 2 else 4
        elif kind == b"IDAT":
            idat += body
        elif kind == b"IEND":
            break
    raw = zlib.decompress(idat)
    stride = w * bpp
    prev = bytearray(stride)
    rows = []
    for y in range(h):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pr = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[i] = (line[i] + pr) & 255
        rows.append([tuple(line[x * bpp:x * bpp + 3]) for x in range(w)])
        prev = line
    return w, h, rows


def near(px, colour, tol=60):
    return sum(abs(a - b) for a, b in zip(px, colour)) <= tol


def white(px):
    return min(px) >= 235


def dark(px):
    return min(px) < 200


def segments(profile, gap):
    """Runs of True in profile separated by at least gap False entries."""
    segs, start, last = [], None, None
    for x, on in enumerate(profile):
        if on:
            if start is None:
                start = x
            elif x - last - 1 >= gap:
                segs.append((start, last))
                start = x
            last = x
    if start is not None:
        segs.append((start, last))
    return segs


def band_profile(img, x0, x1, y0, y1):
    w, h, rows = img
    return [any(dark(rows[y][x]) for y in range(max(0, y0), min(h, y1))) for x in range(max(0, x0), min(w, x1))]


# ---------------------------------------------------------------- axes
def fit(points):
    """Least squares pos = a + b·v; returns a, b and the largest residual."""
    n = len(points)
    mv = sum(v for v, _ in points) / n
    mp = sum(p for _, p in points) / n
    sxx = sum((v - mv) ** 2 for v, _ in points)
    b = sum((v - mv) * (p - mp) for v, p in points) / sxx
    a = mp - b * mv
    return a, b, max(abs(a + b * v - p) for v, p in points)


def tick_axis(texts, coord, log_scale, what):
    pts = []
    for t in texts:
        v = float(t.text)
        pts.append((math.log10(v) if log_scale else v, float(t.get(coord))))
    check(len(pts) >= 2, what + ": at least two tick labels (%d)" % len(pts))
    a, b, r = fit(pts)
    check(r < 0.02, what + ": tick labels evenly placed (largest residual %.3g px)" % r)
    return lambda v: a + b * (math.log10(v) if log_scale else v)


# ---------------------------------------------------------------- forest SVG
def check_forest(svg_path, png_path, exp):
    root = ET.parse(svg_path).getroot()
    W, H = int(root.get("width")), int(root.get("height"))
    log_scale = exp.get("log_scale", False)
    ticks = root.findall("s:g[@class='tick-labels']/s:text", NS)
    X = tick_axis(ticks, "x", log_scale, "forest x axis")
    rows = root.findall("s:g[@class='row']", NS)
    check(len(rows) == len(exp["rows"]), "one row group per row (%d, expected %d)" % (len(rows), len(exp["rows"])))
    img = read_png(png_path)
    check(img[0] == W and img[1] == H, "the PNG is the SVG's size (%dx%d, SVG %dx%d)" % (img[0], img[1], W, H))
    _, _, pix = img
    ref = root.find("s:line[@class='reference']", NS)
    ref_x = float(ref.get("x1"))
    check(abs(ref_x - X(exp.get("reference", 1 if log_scale else 0))) < 0.02, "the line of no effect at its value")
    axis_line = root.find("s:g[@class='axis']/s:line", NS)
    px0, px1, y_axis = float(axis_line.get("x1")), float(axis_line.get("x2")), float(axis_line.get("y1"))
    mark_xs = [ref_x]
    ov_line = root.find("s:line[@class='overall-line']", NS)
    if ov_line is not None:
        mark_xs.append(float(ov_line.get("x1")))
    n_texts = []
    for i, (g, e) in enumerate(zip(rows, exp["rows"])):
        label = "".join(g.find("s:text[@class='label']", NS).itertext())
        want = e["label"] if e["label"] is not None else "NULL"
        check(label == want or (label.endswith("\u2026") and want.startswith(label[:-1])),
              "row %d label %r (expected %r)" % (i, label, want))
        est_text = g.find("s:text[@class='estimate']", NS).text
        y = float(g.find("s:text[@class='label']", NS).get("y")) - 4.5
        marker = g.find("s:rect[@class='marker']", NS)
        if e["estimate"] is None:
            check(marker is None and est_text == "not estimable", "row %d: not estimable, no marker" % i)
            continue
        check(marker is not None, "row %d has a marker" % i)
        cx = float(marker.get("x")) + 4.5
        cy = float(marker.get("y")) + 4.5
        check(abs(cx - X(e["estimate"])) < 0.02, "row %d marker at its estimate (%.2f, expected %.2f)" % (i, cx, X(e["estimate"])))
        check(near(pix[int(cy)][int(cx)], BLUE), "row %d: the browser drew the marker at its estimate (pixel %s)" % (i, pix[int(cy)][int(cx)]))
        ci = g.find("s:path[@class='ci']", NS)
        if e["ci_lower"] is not None:
            nums = [float(v) for v in re.findall(r"-?[0-9.]+", ci.get("d"))]
            xl, xh = nums[0], nums[5]
            check(abs(xl - X(e["ci_lower"])) < 0.02 and abs(xh - X(e["ci_upper"])) < 0.02,
                  "row %d interval at its limits" % i)
            # the whisker's pixels, where no marker covers it
            for xw in (xl + 1, xh - 1):
                if abs(xw - cx) > 7 and all(abs(xw - m) > 3 for m in mark_xs):
                    p = pix[int(y)][int(xw)]
                    check(p[2] > p[0] + 40, "row %d: the browser drew the interval (pixel %s at x %d)" % (i, p, xw))
            # background beyond the interval
            xb = xh + 6
            if xb < px1 - 1 and all(abs(xb - m) > 3 for m in mark_xs):
                check(white(pix[int(y)][int(xb)]), "row %d: background beyond the interval" % i)
        else:
            check(ci is None, "row %d: no interval drawn without limits" % i)
        # labels do not collide: the label, the count and the estimate text
        # are separate runs of ink in the row's band
        prof = band_profile(img, 0, int(px0) - 2, int(y) - 7, int(y) + 7)
        segs = segments(prof, 8)
        if g.find("s:text[@class='n']", NS) is not None:
            check(len(segs) >= 2, "row %d: the label and the count do not touch (%s)" % (i, segs))
        right = band_profile(img, int(px1) + 2, int(px1) + 14, int(y) - 7, int(y) + 7)
        check(not any(right), "row %d: nothing between the plot and the estimate column" % i)
    # the overall effect
    ov = root.find("s:g[@class='overall']", NS)
    if exp.get("overall") is None:
        check(ov is None, "no overall row")
    else:
        o = exp["overall"]
        check(ov is not None, "an overall row")
        d = ov.find("s:polygon[@class='diamond']", NS)
        pts = [tuple(float(c) for c in p.split(",")) for p in d.get("points").split()]
        check(abs(pts[1][0] - X(o["estimate"])) < 0.02, "the diamond's centre at the overall estimate")
        if o.get("ci_lower") is not None and X(o["ci_upper"]) - X(o["ci_lower"]) >= 10:
            check(abs(pts[0][0] - X(o["ci_lower"])) < 0.02 and abs(pts[2][0] - X(o["ci_upper"])) < 0.02,
                  "the diamond spans the overall interval")
        cx, cy = int(pts[1][0]), int(pts[1][1])
        around = [pix[cy + dy][cx + dx] for dy in (-1, 0, 1) for dx in (-1, 0, 1)]
        check(any(near(p, VERMILLION) for p in around),
              "the browser drew the diamond at the overall estimate (pixels %s)" % (around,))
    # tick labels do not collide: one run of ink per label
    prof = band_profile(img, 0, W, int(y_axis) + 8, int(y_axis) + 23)
    segs = segments(prof, 4)
    check(len(segs) == len(ticks), "tick labels separate (%d runs of ink for %d labels)" % (len(segs), len(ticks)))
    # the axis's ticks where their labels say
    for t in root.findall("s:g[@class='axis']/s:line[@class='tick']", NS):
        check(dark(pix[int(y_axis) + 3][int(float(t.get("x1")))]), "tick mark drawn at x %s" % t.get("x1"))


# ---------------------------------------------------------------- QTE SVG
def check_qte(svg_path, png_path, exp):
    root = ET.parse(svg_path).getroot()
    W, H = int(root.get("width")), int(root.get("height"))
    X = tick_axis(root.findall("s:g[@class='tick-labels']/s:text", NS), "x", False, "QTE x axis")
    ytexts = root.findall("s:g[@class='y-axis']/s:text", NS)
    for t in ytexts:   # the label's baseline is 4.5 px below its tick
        t.set("y", str(float(t.get("y")) - 4.5))
    Y = tick_axis(ytexts, "y", False, "QTE y axis")
    img = read_png(png_path)
    check(img[0] == W and img[1] == H, "the PNG is the SVG's size")
    _, _, pix = img
    circles = root.findall("s:g[@class='points']/s:circle", NS)
    est = [e for e in exp["rows"] if e["estimate"] is not None]
    check(len(circles) == len(est), "one point per estimable quantile (%d, expected %d)" % (len(circles), len(est)))
    band = " ".join(p.get("points") for p in root.findall("s:polygon[@class='band']", NS))
    verts = [tuple(float(c) for c in p.split(",")) for p in band.split()]
    for c, e in zip(circles, est):
        cx, cy = float(c.get("cx")), float(c.get("cy"))
        check(abs(cx - X(e["q"])) < 0.02 and abs(cy - Y(e["estimate"])) < 0.02,
              "point of q = %g at its estimate" % e["q"])
        check(near(pix[int(round(cy))][int(round(cx))], BLUE, 90), "the browser drew q = %g's point (pixel %s)" % (e["q"], pix[int(round(cy))][int(round(cx))]))
        if e["ci_lower"] is not None:
            for lim in ("ci_lower", "ci_upper"):
                check(any(abs(vx - X(e["q"])) < 0.02 and abs(vy - Y(e[lim])) < 0.02 for vx, vy in verts),
                      "the band passes through q = %g's %s" % (e["q"], lim))
            yb = Y(e["estimate"] + 0.5 * (e["ci_upper"] - e["estimate"]))
            if abs(yb - cy) > 6 and all(abs(yb - Y(v)) > 3 for v in (0,)):
                ps = [pix[int(yb)][int(cx) + dx] for dx in (-2, 0, 2)]
                check(any(p[2] > p[0] + 30 and p[0] > 120 for p in ps),
                      "the browser shaded the band at q = %g (pixels %s)" % (e["q"], ps))
    missing = [e for e in exp["rows"] if e["estimate"] is None]
    note = root.find("s:text[@class='note']", NS)
    check((note is not None) == bool(missing), "a note on the quantiles without an estimate")


# ---------------------------------------------------------------- text
def check_text(path, exp):
    lines = open(path, encoding="utf-8").read().rstrip("\n").split("\n")
    ascii_form = not any("\u252c" in l for l in lines)
    tick_ch, marker_ch, diamond_ch = ("+", "o", "#") if ascii_form else ("\u252c", "\u25a0", "\u25c6")
    ai = max(i for i, l in enumerate(lines) if tick_ch in l and set(l.strip()) <= set("-+\u2500\u252c"))
    axis, labels = lines[ai], lines[ai + 1]
    tick_cols = [i for i, ch in enumerate(axis) if ch == tick_ch]
    pts = []
    log_scale = exp.get("log_scale", False)
    for m in re.finditer(r"\S+", labels):
        centre = (m.start() + m.end() - 1) / 2
        col = min(tick_cols, key=lambda c: abs(c - centre))
        check(abs(col - centre) <= 1 or m.end() == len(labels), "tick label %s over its tick" % m.group())
        v = float(m.group())
        pts.append((math.log10(v) if log_scale else v, col))
    a, b, r = fit(pts)
    check(r <= 1.0, "text axis: ticks evenly placed (residual %.2f columns)" % r)
    # each column is its exact position rounded: the line through the
    # outer ticks is off by at most 0.5 plus 1 per tick span beyond them,
    # and a marker's own rounding adds 0.5
    (u0, c0), (u1, c1) = pts[0], pts[-1]
    tr = lambda v: math.log10(v) if log_scale else v
    col_of = lambda v: c0 + (c1 - c0) / (u1 - u0) * (tr(v) - u0)
    tol_of = lambda v: 1.0 + max(u0 - tr(v), tr(v) - u1, 0) / (u1 - u0) + 1e-9
    rows = exp["rows"] + ([exp["overall"]] if exp.get("overall") else [])
    body = lines[ai - len(rows):ai]
    for i, (line, e) in enumerate(zip(body, rows)):
        is_overall = i == len(exp["rows"])
        ch = diamond_ch if is_overall else marker_ch
        if e["estimate"] is None:
            check("not estimable" in line and ch not in line, "text row %d not estimable" % i)
            continue
        # the marker is the last such glyph (a label may contain an "o")
        col = line.rfind(ch)
        check(col >= 0 and abs(col - col_of(e["estimate"])) <= tol_of(e["estimate"]),
              "text row %d marker in column %d (expected %.1f)" % (i, col, col_of(e["estimate"])))


def main():
    kind = sys.argv[1]
    if kind == "forest":
        check_forest(sys.argv[2], sys.argv[3], json.load(open(sys.argv[4])))
    elif kind == "qte":
        check_qte(sys.argv[2], sys.argv[3], json.load(open(sys.argv[4])))
    elif kind == "text":
        check_text(sys.argv[2], json.load(open(sys.argv[3])))
    print("checks: %d passed, %d failed" % (passed, failed))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
