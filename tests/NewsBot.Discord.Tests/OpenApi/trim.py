#!/usr/bin/env python3
"""Trims Discord's openapi.json to the request bodies the test emulator validates.

Usage: python3 trim.py PATH/TO/openapi.json > discord-openapi.trimmed.json
Keeps, for each route below, only its JSON request body, plus every component schema those bodies
reach through $ref. Add a route here when the emulator starts checking a new one (DiscordEmulator.Check).
"""
import json
import sys

ROUTES = [
    ("/applications/{application_id}/commands", "put"),
    ("/applications/{application_id}/guilds/{guild_id}/commands", "put"),
    ("/channels/{channel_id}/messages", "post"),
    ("/interactions/{interaction_id}/{interaction_token}/callback", "post"),
    ("/webhooks/{webhook_id}/{webhook_token}", "post"),
    ("/webhooks/{webhook_id}/{webhook_token}/messages/@original", "patch"),
]
PREFIX = "#/components/schemas/"


def refs(node, found):
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith(PREFIX):
            found.add(ref[len(PREFIX):])
        for value in node.values():
            refs(value, found)
    elif isinstance(node, list):
        for value in node:
            refs(value, found)


def main():
    spec = json.load(open(sys.argv[1], encoding="utf-8"))
    schemas = spec["components"]["schemas"]
    paths = {}
    pending = set()
    for template, method in ROUTES:
        body = spec["paths"][template][method]["requestBody"]
        paths.setdefault(template, {})[method] = {"requestBody": body}
        refs(body, pending)
    kept = {}
    while pending:
        name = pending.pop()
        if name in kept:
            continue
        kept[name] = schemas[name]
        refs(schemas[name], pending)
    trimmed = {
        "openapi": spec["openapi"],
        "info": {"title": spec["info"]["title"], "version": spec["info"]["version"], "license": spec["info"]["license"],
                 "x-trimmed": "request bodies of the routes in tests/NewsBot.Discord.Tests/OpenApi/trim.py only"},
        "paths": paths,
        "components": {"schemas": dict(sorted(kept.items()))},
    }
    json.dump(trimmed, sys.stdout, indent=1, ensure_ascii=False)
    sys.stdout.write("\n")


main()
