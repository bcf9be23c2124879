# The oracle of the TOML differential test: python's tomllib (TOML 1.0 in python 3.11 to 3.13). Reads a JSON
# array of documents on stdin; writes a JSON array with, for each, {"ok": CANONICAL} or {"error": MESSAGE}.
# CANONICAL is the document as TOMLCanonical.swift writes podrt's parse of it (see there). tomllib accepts
# integers beyond 64 bits, which TOML 1.0 says must be an error: those count as rejected here.
import datetime, json, struct, sys, tomllib

class OutOfRange(Exception):
    pass

def canon(value):
    if isinstance(value, dict):
        return {key: canon(item) for key, item in value.items()}
    if isinstance(value, list):
        return [canon(item) for item in value]
    if isinstance(value, bool):
        return {"b": "true" if value else "false"}
    if isinstance(value, int):
        if not -2**63 <= value < 2**63:
            raise OutOfRange(value)
        return {"i": str(value)}
    if isinstance(value, float):
        return {"f": "nan" if value != value else struct.pack(">d", value).hex()}
    if isinstance(value, str):
        return {"s": value}
    if isinstance(value, datetime.datetime):
        text = "%04d-%02d-%02dT%02d:%02d:%02d.%06d" % (value.year, value.month, value.day, value.hour,
                                                      value.minute, value.second, value.microsecond)
        if value.tzinfo is None:
            return {"ldt": text}
        minutes = int(value.utcoffset().total_seconds()) // 60
        return {"odt": text + ("-" if minutes < 0 else "+") + str(abs(minutes))}
    if isinstance(value, datetime.date):
        return {"ld": "%04d-%02d-%02d" % (value.year, value.month, value.day)}
    if isinstance(value, datetime.time):
        return {"lt": "%02d:%02d:%02d.%06d" % (value.hour, value.minute, value.second, value.microsecond)}
    raise TypeError(type(value))

def one(document):
    try:
        parsed = tomllib.loads(document)
    except tomllib.TOMLDecodeError as error:
        return {"error": str(error)}
    try:
        return {"ok": json.dumps(canon(parsed), sort_keys=True, separators=(",", ":"))}
    except OutOfRange as error:
        return {"error": "integer %s does not fit in 64 bits (tomllib accepts it)" % error}

json.dump([one(document) for document in json.loads(sys.stdin.buffer.read().decode("utf-8"))], sys.stdout)
