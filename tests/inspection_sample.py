#!/usr/bin/env python3
"""An independent implementation of the inspection sample (docs/oversight.md),
written from the documentation alone, for oversight_test to compare with.

  inspection_sample.py sample ROOT_B64 REVEAL_B64 N < ids   -> the sample, one id per line
  inspection_sample.py size METHOD POPULATION [PARAM...]    -> n
     fixed SIZE | discovery CONFIDENCE RATE | estimation CONFIDENCE MARGIN | full
"""
import base64
import hashlib
import math
import sys


def sample(root, reveal, ids, n):
    seed = hashlib.sha256(b"strongroom inspection sample v1\n" + root + reveal).digest()
    ranked = sorted(ids, key=lambda i: hashlib.sha256(seed + i.encode("utf-8")).digest())
    return ranked[:n]


def decimal(text):
    assert text.startswith("0.") and 1 <= len(text) - 2 <= 6 and text[2:].isdigit()
    return int(text[2:]), 10 ** (len(text) - 2)


def size(method, N, params):
    if method == "full":
        return N
    if method == "fixed":
        return min(int(params[0]), N)
    if method == "discovery":
        digits, scale = decimal(params[0])
        confidence = digits / scale
        r_digits, r_scale = decimal(params[1])
        if N == 0:
            return 0
        b = max(1, -(-r_digits * N // r_scale))
        miss, p, n = 1.0 - confidence, 1.0, 0
        while p > miss and n < N:
            p *= max(0, N - b - n) / (N - n)
            n += 1
        return n
    if method == "estimation":
        z = {"0.90": 1.645, "0.9": 1.645, "0.95": 1.96, "0.99": 2.576}[params[0]]
        m_digits, m_scale = decimal(params[1])
        margin = m_digits / m_scale
        if N == 0:
            return 0
        n0 = z * z * 0.25 / (margin * margin)
        return min(N, math.ceil(n0 / (1.0 + (n0 - 1.0) / N)))
    raise SystemExit("unknown method " + method)


if __name__ == "__main__":
    if sys.argv[1] == "sample":
        root = base64.b64decode(sys.argv[2], validate=True)
        reveal = base64.b64decode(sys.argv[3], validate=True)
        ids = [line.rstrip("\n") for line in sys.stdin if line.strip()]
        for i in sample(root, reveal, ids, int(sys.argv[4])):
            print(i)
    else:
        print(size(sys.argv[2], int(sys.argv[3]), sys.argv[4:]))
