#!/usr/bin/env python3
"""Wraps a Stripe event (JSON on stdin) in the Lambda Function URL request (payload 2.0) Stripe's POST
becomes, signed as Stripe signs it (HMAC-SHA256 of "t.body") with the local test secret at the event's own
time, and prints it: how the files in events/stripe-webhook/ were made.

    python3 scripts/stripe-webhook-request.py < event.json > events/stripe-webhook/NAME.json
"""
import hashlib
import hmac
import json
import sys
import time

SECRET = "whsec_revshare_local_test"

event = json.load(sys.stdin)
body = json.dumps(event, separators=(",", ":"))
t = event["created"]
signature = hmac.new(SECRET.encode(), f"{t}.{body}".encode(), hashlib.sha256).hexdigest()
request = {
    "version": "2.0",
    "routeKey": "$default",
    "rawPath": "/stripe",
    "rawQueryString": "",
    "headers": {
        "accept": "*/*; q=0.5, application/xml",
        "cache-control": "no-cache",
        "content-length": str(len(body.encode())),
        "content-type": "application/json; charset=utf-8",
        "host": "q7mxd2k5vbn3wz8hr4tcy6pjsa0ef1gl.lambda-url.us-east-1.on.aws",
        "stripe-signature": f"t={t},v1={signature}",
        "user-agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)",
        "x-amzn-tls-cipher-suite": "TLS_AES_128_GCM_SHA256",
        "x-amzn-tls-version": "TLSv1.3",
        "x-amzn-trace-id": "Root=1-6acfabb6-5d3c0b7a9e1f2a4c6b8d0e2f",
        "x-forwarded-for": "3.18.12.63",
        "x-forwarded-port": "443",
        "x-forwarded-proto": "https",
    },
    "requestContext": {
        "accountId": "anonymous",
        "apiId": "q7mxd2k5vbn3wz8hr4tcy6pjsa0ef1gl",
        "domainName": "q7mxd2k5vbn3wz8hr4tcy6pjsa0ef1gl.lambda-url.us-east-1.on.aws",
        "domainPrefix": "q7mxd2k5vbn3wz8hr4tcy6pjsa0ef1gl",
        "http": {"method": "POST", "path": "/stripe", "protocol": "HTTP/1.1", "sourceIp": "3.18.12.63",
                 "userAgent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)"},
        "requestId": "a1b2c3d4-5e6f-4a7b-8c9d-" + event["id"][-12:].lower().rjust(12, "0"),
        "routeKey": "$default",
        "stage": "$default",
        "time": time.strftime("%d/%b/%Y:%H:%M:%S +0000", time.gmtime(t + 1)),
        "timeEpoch": (t + 1) * 1000,
    },
    "body": body,
    "isBase64Encoded": False,
}
json.dump(request, sys.stdout, indent=2)
sys.stdout.write("\n")
