#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""measures.py - an independent scorer for the measures added in issue 33
(PCL-5, AUDIT, WHO-5), written from the published keys, not from
securebase's instrument files:

  PCL-5 (Weathers et al. 2013; National Center for PTSD): 20 items 0-4;
    total the sum, 0-80; clusters B 1-5, C 6-7, D 8-14, E 15-20; the
    provisional cut-off 31-33 (securebase marks 33).
  AUDIT (Babor et al. 2001, WHO): items 1-8 score 0-4, items 9-10 score
    0, 2 or 4; total the sum, 0-40; consumption 1-3, dependence 4-6,
    harm 7-10; zones I 0-7, II 8-15, III 16-19, IV 20-40.
  WHO-5 (Topp et al. 2015): 5 items 0-5; raw the sum, 0-25; percentage
    raw x 4; 50 or less (raw 12 or less) poor well-being.

No missing-data rule is published for any of them, so a blank item leaves
every score that uses it blank.  Five vectors per measure: the floor, the
ceiling, each side of a cut-off, and one item missing.

Usage: measures.py DIR writes DIR/ID.csv (the answers) and DIR/ID.want
(the expected score columns, one line per row: the scores in the order
securebase prints them, blank when missing).
"""
import os
import sys


def total(v, items):
    vals = [v[i - 1] for i in items]
    return None if None in vals else sum(vals)


def pcl5(v):
    t = total(v, range(1, 21))
    return [t, total(v, range(1, 6)), total(v, [6, 7]),
            total(v, range(8, 15)), total(v, range(15, 21))]


def audit(v):
    return [total(v, range(1, 11)), total(v, [1, 2, 3]),
            total(v, [4, 5, 6]), total(v, [7, 8, 9, 10])]


def who5(v):
    r = total(v, range(1, 6))
    return [r, None if r is None else r * 4]


N = None
VECTORS = {
    # id: (number of items, score function, vectors)
    "pcl5": (20, pcl5, [
        [0] * 20,
        [4] * 20,
        # 32: one under the cut-off; clusters 10, 4, 9, 9
        [2, 2, 2, 2, 2, 2, 2, 1, 1, 1, 1, 2, 2, 1, 2, 1, 2, 1, 2, 1],
        # 33: at it
        [2, 2, 2, 2, 2, 2, 2, 1, 1, 1, 1, 2, 2, 1, 2, 1, 2, 1, 2, 2],
        # item 7 blank: the total and cluster C are blank, B, D, E not
        [3, 3, 3, 3, 3, 3, N, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3],
    ]),
    "audit": (10, audit, [
        [0] * 10,
        [4] * 10,
        # 7 and 8: each side of zone II
        [2, 1, 1, 1, 0, 0, 0, 0, 2, 0],
        [2, 1, 1, 1, 1, 0, 0, 0, 2, 0],
        # item 9 blank
        [4, 4, 4, 4, 4, 4, 4, 4, N, 4],
    ]),
    "who5": (5, who5, [
        [0] * 5,
        [5] * 5,
        # raw 12 (48 %, poor well-being) and 13 (52 %)
        [3, 3, 2, 2, 2],
        [3, 3, 3, 2, 2],
        [5, N, 5, 5, 5],
    ]),
}


def cell(x):
    return "" if x is None else str(x)


def main():
    out = sys.argv[1]
    for ident, (n, fn, vectors) in VECTORS.items():
        with open(os.path.join(out, ident + ".csv"), "w") as f:
            f.write(",".join("q%d" % (i + 1) for i in range(n)) + "\n")
            for v in vectors:
                f.write(",".join(cell(x) for x in v) + "\n")
        with open(os.path.join(out, ident + ".want"), "w") as f:
            for v in vectors:
                f.write(",".join(cell(x) for x in fn(v)) + "\n")


if __name__ == "__main__":
    main()
