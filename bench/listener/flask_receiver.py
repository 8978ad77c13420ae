"""The listener benchmark's reference point: the receiver dbt Cloud's documentation shows.

Flask's development server, the raw request body, HMAC-SHA256 with the secret from the
environment, hex digest compared with the Authorization header.
Usage: WEBHOOK_KEY=secret PORT=5002 python3 flask_receiver.py
"""
import hashlib
import hmac
import logging
import os

from flask import Flask, request

app = Flask(__name__)
logging.getLogger("werkzeug").setLevel(logging.ERROR)  # one log line per request would dominate
app_secret = os.environ["WEBHOOK_KEY"].encode("utf-8")


@app.route("/", methods=["POST"])
def webhook():
    auth_header = request.headers.get("authorization", None)
    request_body = request.get_data()
    signature = hmac.new(app_secret, request_body, hashlib.sha256).hexdigest()
    if signature != auth_header:
        return {"status": "invalid signature"}, 403
    return {"status": "ok"}


if __name__ == "__main__":
    print(f"Listening on http://127.0.0.1:{os.environ.get('PORT', '5002')}", flush=True)
    app.run(host="127.0.0.1", port=int(os.environ.get("PORT", "5002")))
