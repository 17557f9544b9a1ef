#!/usr/bin/env python3
"""A reference device for Edge AI Gateway's device format (docs/models.md, "The device format").

It does what a microcontroller-class device does, with nothing but Python's standard library, libcoap's coap-client
and (for signed models) openssl: fetches the notice of a model's active version over CoAP, then each file block-wise,
checks every file's size and SHA-256 against the notice (and, when the model is signed, the signature over the
manifest with a trusted Ed25519 public key, and the files' digests in that manifest), and computes the model's
outputs for the values given on the command line.

    edgeai_device.py coap://gateway:5683 MODEL name=value ... [--trust key.pem] [--block 64] [--into DIR]

Prints {"model", "version", "outputs"} as JSON. Exits 2 on bad arguments, 3 when the model cannot be fetched, 4 when
a check fails (digest, size, signature), 5 when the values cannot be computed (a value missing, out of range).
"""
import argparse
import hashlib
import json
import math
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile


class Refused(Exception):
    def __init__(self, code, message):
        super().__init__(message)
        self.code = code


def coap_client():
    for name in ("coap-client", "coap-client-notls", "coap-client-openssl", "coap-client-gnutls"):
        if shutil.which(name):
            return name
    raise Refused(3, "no coap-client on PATH (Debian: apt-get install libcoap3-bin)")


def fetch(client, uri, into=None, block=None):
    """GET uri with coap-client: the payload (into a file when into is given)."""
    command = [client, "-m", "get", "-B", "30"]
    if block:
        command += ["-b", str(block)]
    if into:
        command += ["-o", into]
    command.append(uri)
    done = subprocess.run(command, capture_output=True, timeout=60)
    errors = done.stderr.decode("utf-8", "replace")
    # coap-client writes an error's code (4.04, 5.03, ...) on stderr and its diagnostic as the payload
    if done.returncode != 0 or re.search(r"^[45]\.\d\d", errors, re.M):
        diagnostic = open(into, encoding="utf-8", errors="replace").read() if into and os.path.exists(into) \
            else done.stdout.decode("utf-8", "replace")
        raise Refused(3, "GET %s: %s %s" % (uri, errors.strip() or "coap-client exit %d" % done.returncode,
                                             diagnostic.strip()))
    if into:
        return None
    return done.stdout


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def verify_signature(folder, notice, trust):
    """The manifest's signature with the trusted key (openssl), then the device files' digests in the manifest."""
    names = {f["name"] for f in notice["files"]}
    if not notice.get("signed") or not {"manifest.sha256", "manifest.sig"} <= names:
        raise Refused(4, "unsigned: the model carries no signature and a trusted key was given")
    done = subprocess.run(["openssl", "pkeyutl", "-verify", "-pubin", "-inkey", trust, "-rawin",
                           "-in", os.path.join(folder, "manifest.sha256"),
                           "-sigfile", os.path.join(folder, "manifest.sig")], capture_output=True)
    if done.returncode != 0:
        raise Refused(4, "bad signature: the manifest was not signed by " + trust)
    listed = {}
    with open(os.path.join(folder, "manifest.sha256"), encoding="utf-8") as manifest:
        for line in manifest:
            # sha256sum's format: the digest, a space, a space or '*' (binary mode), the path
            match = re.match(r"^([0-9a-f]{64}) [ *](.+)$", line.rstrip("\n"))
            if match:
                listed[match.group(2)] = match.group(1)
    for f in notice["files"]:
        if f["name"] in ("device.json", "weights.bin") and listed.get(f["path"]) != f["sha256"]:
            raise Refused(4, "digest mismatch for %s: the signed manifest says %s" % (f["path"], listed.get(f["path"])))


def run_pipeline(header, values):
    for step in header["pipeline"]:
        features = step.get("features", "all")
        kind = step["type"]
        if kind == "reject-non-finite":
            for name in (values if features == "all" else features):
                if name in values and not math.isfinite(values[name]):
                    raise Refused(5, "value %s is not finite" % name)
        elif kind in ("clip", "reject-outside"):
            low, high = step.get("min", -math.inf), step.get("max", math.inf)
            for name in (list(values) if features == "all" else features):
                if name not in values:
                    continue
                if kind == "clip":
                    values[name] = min(high, max(low, values[name]))
                elif not low <= values[name] <= high:
                    raise Refused(5, "value %s = %s is outside [%s, %s]" % (name, values[name], low, high))
        elif kind == "scale":
            for name, (center, scale) in features.items():
                if name in values:
                    values[name] = 0.0 if scale == 0 else (values[name] - center) / scale
        else:
            raise Refused(5, "unknown pipeline step " + kind)
    return values


def forward(header, weights, values):
    floats = struct.unpack("<%df" % (len(weights) // 4), weights)
    missing = [name for name in header["inputs"] if name not in values]
    if missing:
        raise Refused(5, "no value for " + ", ".join(missing))
    x = [float(struct.unpack("<f", struct.pack("<f", values[name]))[0]) for name in header["inputs"]]
    inputs = list(x)
    activations = {"relu": lambda v: max(0.0, v), "tanh": math.tanh, "sigmoid": lambda v: 1 / (1 + math.exp(-v)),
                   "identity": lambda v: v}
    for layer in header["layers"]:
        n_in, n_out, w, b = layer["in"], layer["out"], layer["weights"], layer["bias"]
        f = activations[layer["activation"]]
        x = [f(floats[b + o] + sum(floats[w + o * n_in + i] * x[i] for i in range(n_in))) for o in range(n_out)]
    if header["output"] == "softmax":
        top = max(x)
        e = [math.exp(v - top) for v in x]
        return [v / sum(e) for v in e]
    if header["output"] == "reconstruction-mse":
        return [sum((r - i) ** 2 for r, i in zip(x, inputs)) / len(x)]
    return x


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("gateway", help="coap://host:port")
    parser.add_argument("model")
    parser.add_argument("values", nargs="*", help="name=value")
    parser.add_argument("--trust", help="a trusted Ed25519 public key (PEM): the model must be signed with it")
    parser.add_argument("--block", type=int, default=64, help="block size to ask for (16 to 1024)")
    parser.add_argument("--into", help="keep the fetched files in this folder")
    args = parser.parse_args(argv)
    values = {}
    for item in args.values:
        name, sep, number = item.partition("=")
        try:
            values[name] = float(number)
        except ValueError:
            sep = ""
        if not sep:
            print("not name=value: " + item, file=sys.stderr)
            return 2
    folder = args.into or tempfile.mkdtemp(prefix="edgeai-device-")
    os.makedirs(folder, exist_ok=True)
    try:
        client = coap_client()
        base = args.gateway.rstrip("/")
        notice = json.loads(fetch(client, "%s/models/%s" % (base, args.model)))
        for f in notice["files"]:
            path = os.path.join(folder, f["name"])
            fetch(client, base + f["fetch"], into=path, block=args.block)
            if os.path.getsize(path) != f["size"] or sha256(path) != f["sha256"]:
                raise Refused(4, "digest mismatch for %s: the notice says %s (%d bytes), fetched %s (%d bytes)"
                              % (f["name"], f["sha256"], f["size"], sha256(path), os.path.getsize(path)))
        if args.trust:
            verify_signature(folder, notice, args.trust)
        with open(os.path.join(folder, "device.json"), encoding="utf-8") as h:
            header = json.load(h)
        if header.get("format") != "edgeai-device/1":
            raise Refused(4, "unknown format " + str(header.get("format")))
        with open(os.path.join(folder, "weights.bin"), "rb") as w:
            weights = w.read()
        if hashlib.sha256(weights).hexdigest() != header["weights"]["sha256"]:
            raise Refused(4, "digest mismatch for weights.bin: the header says " + header["weights"]["sha256"])
        outputs = forward(header, weights, run_pipeline(header, values))
        print(json.dumps({"model": notice["model"], "version": notice["version"], "outputs": outputs}))
        return 0
    except Refused as e:
        print(str(e), file=sys.stderr)
        return e.code
    finally:
        if not args.into:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
