#!/usr/bin/env python3
"""A secret-scanning partner endpoint, as an issuer would write it, for the
forwarder's end-to-end test and benchmark.

It verifies every POST the way GitHub's partner documentation says: fetch the
sender's public keys document (/meta/public_keys), pick the key whose
key_identifier is the Github-Public-Key-Identifier header, and verify the
Github-Public-Key-Signature header (base64 DER ECDSA P-256/SHA-256) over the
exact body bytes, with the `cryptography` package (an implementation that
shares nothing with leakd's OpenSSL code). An unknown key identifier refetches
the document once; a bad signature is answered 401.

A verified body (a JSON array of {token, type, url, source}) is answered 200
with feedback in GitHub's shape: [{token_raw|token_hash, token_type, label}]
(token_raw for every other entry, token_hash for the rest).

Faults, by request number (1-based, in arrival order):
  --fail N,M    answer 500
  --hang N      sleep --hang-seconds, then answer 200 (the sender times out first)
  --slow N      sleep --slow-seconds, then answer 200 (inside the sender's timeout)
  --reject-marker TEXT  a batch holding a token containing TEXT is answered 400
With --tls-dir DIR it serves HTTPS with a certificate for localhost and
127.0.0.1 signed by a CA it makes, whose certificate it writes to DIR/ca.pem.
Everything is written to --log as JSON lines:
  {"event": "received", "request": n, "tokens": [...], "key_identifier": …}
  {"event": "replied", "request": n, "status": s}
  {"event": "bad-signature", "request": n}
Usage: receiver.py --keys-url URL --port-file F --log F [faults]
"""
import argparse
import base64
import hashlib
import json
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import load_pem_public_key


def numbers(text):
    return {int(x) for x in text.split(",") if x.strip()} if text else set()


class State:
    def __init__(self, args):
        self.args = args
        self.lock = threading.Lock()
        self.requests = 0
        self.keys = {}
        self.fetches = 0
        self.log = open(args.log, "a", buffering=1)

    def write(self, record):
        with self.lock:
            self.log.write(json.dumps(record) + "\n")

    def next_request(self):
        with self.lock:
            self.requests += 1
            return self.requests

    def key(self, identifier):
        with self.lock:
            if identifier not in self.keys:
                self.fetch_locked()
            return self.keys.get(identifier)

    def fetch_locked(self):
        with urllib.request.urlopen(self.args.keys_url, timeout=5) as response:
            document = json.load(response)
        self.fetches += 1
        for entry in document["public_keys"]:
            key = load_pem_public_key(entry["key"].encode())
            assert isinstance(key, ec.EllipticCurvePublicKey) and key.curve.name == "secp256r1"
            self.keys[entry["key_identifier"]] = key


def verified(state, headers, body):
    identifier = headers.get(state.args.key_id_header, "")
    signature = headers.get(state.args.signature_header, "")
    key = state.key(identifier) if identifier else None
    if key is None:
        return False
    try:
        key.verify(base64.b64decode(signature), body, ec.ECDSA(hashes.SHA256()))
        return True
    except (InvalidSignature, ValueError):
        return False


def feedback(batch):
    out = []
    for i, entry in enumerate(batch):
        label = {"token_type": entry["type"], "label": "true_positive" if i % 3 else "false_positive"}
        if i % 2 == 0:
            label["token_raw"] = entry["token"]
        else:
            label["token_hash"] = hashlib.sha256(entry["token"].encode()).hexdigest()
        out.append(label)
    return out


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def reply(self, n, status, body):
        data = json.dumps(body).encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(data)
        except OSError:
            pass  # the sender gave up (timeout) or was killed
        self.server.state.write({"event": "replied", "request": n, "status": status,
                                 "time": time.time()})

    def do_POST(self):
        state = self.server.state
        args = state.args
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        n = state.next_request()
        if not verified(state, self.headers, body):
            state.write({"event": "bad-signature", "request": n})
            return self.reply(n, 401, {"error": "bad signature"})
        batch = json.loads(body)
        state.write({"event": "received", "request": n, "time": time.time(),
                     "tokens": [e["token"] for e in batch],
                     "fields": [sorted(e.keys()) for e in batch],
                     "key_identifier": self.headers.get(args.key_id_header)})
        if n in numbers(args.fail):
            return self.reply(n, 500, {"error": "injected"})
        if n in numbers(args.hang):
            time.sleep(args.hang_seconds)
        if n in numbers(args.slow):
            time.sleep(args.slow_seconds)
        if args.reject_marker and any(args.reject_marker in e["token"] for e in batch):
            return self.reply(n, 400, {"error": "malformed token"})
        self.reply(n, 200, feedback(batch))


def make_tls(directory):
    """A CA and a server certificate for localhost/127.0.0.1; returns an SSLContext."""
    import datetime
    import ipaddress
    import os
    import ssl
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization
    from cryptography.x509.oid import NameOID

    def name(text):
        return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, text)])

    now = datetime.datetime.utcnow()
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = (x509.CertificateBuilder().subject_name(name("leakd test CA")).issuer_name(name("leakd test CA"))
          .public_key(ca_key.public_key()).serial_number(x509.random_serial_number())
          .not_valid_before(now - datetime.timedelta(minutes=5))
          .not_valid_after(now + datetime.timedelta(days=1))
          .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
          .sign(ca_key, hashes.SHA256()))
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (x509.CertificateBuilder().subject_name(name("localhost")).issuer_name(ca.subject)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5))
            .not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                critical=False)
            .sign(ca_key, hashes.SHA256()))
    os.makedirs(directory, exist_ok=True)
    pem = serialization.Encoding.PEM
    with open(os.path.join(directory, "ca.pem"), "wb") as f:
        f.write(ca.public_bytes(pem))
    with open(os.path.join(directory, "server.pem"), "wb") as f:
        f.write(cert.public_bytes(pem))
        f.write(key.private_bytes(pem, serialization.PrivateFormat.PKCS8,
                                  serialization.NoEncryption()))
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(os.path.join(directory, "server.pem"))
    return context


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--keys-url", required=True)
    p.add_argument("--port-file", required=True)
    p.add_argument("--log", required=True)
    p.add_argument("--fail", default="")
    p.add_argument("--hang", default="")
    p.add_argument("--hang-seconds", type=float, default=3.0)
    p.add_argument("--slow", default="")
    p.add_argument("--slow-seconds", type=float, default=0.5)
    p.add_argument("--reject-marker", default="")
    p.add_argument("--key-id-header", default="Github-Public-Key-Identifier")
    p.add_argument("--signature-header", default="Github-Public-Key-Signature")
    p.add_argument("--tls-dir", default="")
    p.add_argument("--max-seconds", type=float, default=600, help="exit after this long")
    args = p.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    if args.tls_dir:
        context = make_tls(args.tls_dir)
        server.socket = context.wrap_socket(server.socket, server_side=True)
    server.state = State(args)
    timer = threading.Timer(args.max_seconds, server.shutdown)
    timer.daemon = True
    timer.start()
    with open(args.port_file + ".tmp", "w") as f:
        f.write(str(server.server_address[1]))
    import os
    os.rename(args.port_file + ".tmp", args.port_file)
    server.serve_forever()


if __name__ == "__main__":
    main()
