#!/usr/bin/env python3
"""Writes the propagation test vectors (*.json) of this folder. See README.md for the schema.

Every expectation below is written by hand from the specs; this script only expands long
inputs (limits, truncation) and keeps the files consistent. Run it after editing:
    python3 testdata/propagation/make_vectors.py
"""

import json
import os

TC = "https://www.w3.org/TR/trace-context-1/"
BAG = "https://www.w3.org/TR/baggage/"
B3 = "https://github.com/openzipkin/b3-propagation"
OC = "https://github.com/census-instrumentation/opencensus-specs/blob/master/encodings/BinaryEncoding.md"

TID = "4bf92f3577b34da6a3ce929d0e0e4736"
SID = "00f067aa0ba902b7"
TP = f"00-{TID}-{SID}-01"
TP0 = f"00-{TID}-{SID}-00"


def ok(trace_id=TID, span_id=SID, flags="01", trace_state=None, baggage=None):
    e = {
        "valid": True,
        "trace_id": trace_id,
        "span_id": span_id,
        "flags": flags,
        "sampled": (int(flags, 16) & 1) == 1,
    }
    if trace_state:
        e["trace_state"] = trace_state
    if baggage:
        e["baggage"] = baggage
    return e


def bad(baggage=None):
    e = {"valid": False}
    if baggage:
        e["baggage"] = baggage
    return e


def case(name, rule, carrier, expect, reinject):
    return {
        "name": name,
        "spec_rule": rule,
        "carrier": carrier,
        "expect": expect,
        "reinject": reinject,
    }


def tp_case(name, rule, value, valid, reinject_flags="01", flags="01"):
    if valid:
        return case(
            name,
            rule,
            {"traceparent": value},
            ok(flags=flags),
            {"traceparent": f"00-{TID}-{SID}-{reinject_flags}"},
        )
    return case(name, rule, {"traceparent": value}, bad(), {})


def ts_case(name, rule, tracestate, members, reinject_ts=None):
    """A valid traceparent with `tracestate`; members None means the tracestate is discarded."""
    expect = ok(trace_state=members) if members else ok()
    reinject = {"traceparent": TP}
    if members:
        reinject["tracestate"] = (
            reinject_ts if reinject_ts is not None else ",".join(f"{k}={v}" for k, v in members)
        )
    return case(name, rule, {"traceparent": TP, "tracestate": tracestate}, expect, reinject)


def tracecontext():
    c = []
    R_VER = "§3.2.2.1 version: 2 lower-case hex digits; version ff is invalid"
    R_LEN = "§3.2.4 version 00 has exactly 55 chars; unknown fields are not parsed"
    R_HI = (
        "§3.2.4 a higher version is parsed by its 00 prefix; "
        "flags MUST be followed by the end or '-'"
    )
    R_TID = (
        "§3.2.2.3 trace-id: 32 lower-case hex, all zeros invalid; "
        "vendors MUST ignore the traceparent"
    )
    R_PID = (
        "§3.2.2.4 parent-id: 16 lower-case hex, all zeros invalid; "
        "vendors MUST ignore the traceparent"
    )
    R_FL = "§3.2.2.5 trace-flags: 2 lower-case hex digits"
    R_OTHER = "§3.2.2.5.2 other flags: vendors MUST set those to zero (at version 00)"
    R_NAME = "§3.2.1 vendors MUST expect the header name in any case"
    c.append(tp_case("spec example sampled", "§3.2.2 traceparent field values", TP, True))
    c.append(
        tp_case(
            "spec example not sampled",
            "§3.2.2 traceparent field values",
            TP0,
            True,
            reinject_flags="00",
            flags="00",
        )
    )
    c.append(
        case(
            "header name in mixed case",
            R_NAME,
            {"TraceParent": TP, "TRACESTATE": "a=1"},
            ok(trace_state=[["a", "1"]]),
            {"traceparent": TP, "tracestate": "a=1"},
        )
    )
    c.append(tp_case("version ff is invalid", R_VER, f"ff-{TID}-{SID}-01", False))
    c.append(tp_case("version with upper-case hex is invalid", R_VER, f"0A-{TID}-{SID}-01", False))
    c.append(tp_case("version not hex is invalid", R_VER, f"0g-{TID}-{SID}-01", False))
    c.append(tp_case("version of one digit is invalid", R_VER, f"0-{TID}-{SID}-01", False))
    c.append(tp_case("version 00 with a trailing dash is invalid", R_LEN, TP + "-", False))
    c.append(
        tp_case(
            "version 00 with more fields is invalid",
            R_LEN,
            TP + "-what-the-future-will-be-like",
            False,
        )
    )
    c.append(tp_case("version 00 with a trailing char is invalid", R_LEN, TP + ".", False))
    c.append(tp_case("version 00 one char short is invalid", R_LEN, TP[:-1], False))
    c.append(tp_case("empty value is invalid", R_LEN, "", False))
    c.append(
        tp_case("higher version of exactly 55 chars is parsed", R_HI, f"cc-{TID}-{SID}-01", True)
    )
    c.append(
        tp_case(
            "higher version with more fields is parsed and downgraded to 00",
            R_HI,
            f"cc-{TID}-{SID}-01-what-the-future-will-be-like",
            True,
        )
    )
    c.append(
        tp_case(
            "version 01 with an extra field is parsed",
            R_HI,
            f"01-{TID}-{SID}-00-01",
            True,
            reinject_flags="00",
            flags="00",
        )
    )
    c.append(
        tp_case(
            "higher version without '-' after the flags is invalid",
            R_HI,
            f"cc-{TID}-{SID}-01.what-the-future-will-be-like",
            False,
        )
    )
    c.append(
        tp_case("higher version shorter than 55 chars is invalid", R_HI, f"cc-{TID}-{SID}-0", False)
    )
    c.append(
        tp_case(
            "higher version with upper-case trace-id is invalid",
            R_HI,
            f"cc-{TID.upper()}-{SID}-01",
            False,
        )
    )
    c.append(tp_case("trace-id all zeros is invalid", R_TID, f"00-{'0' * 32}-{SID}-01", False))
    c.append(tp_case("trace-id upper-case is invalid", R_TID, f"00-{TID.upper()}-{SID}-01", False))
    c.append(
        tp_case("trace-id with a non-hex char is invalid", R_TID, f"00-{TID[:-1]}g-{SID}-01", False)
    )
    c.append(
        tp_case("trace-id one char short is invalid", R_TID, f"00-{TID[:-1]}-{SID}-01x", False)
    )
    c.append(
        tp_case(
            "trace-id with only the last bit set is valid", R_TID, f"00-{'0' * 31}1-{SID}-01", True
        )
    )
    c[-1]["expect"]["trace_id"] = "0" * 31 + "1"
    c[-1]["reinject"]["traceparent"] = f"00-{'0' * 31}1-{SID}-01"
    c.append(tp_case("parent-id all zeros is invalid", R_PID, f"00-{TID}-{'0' * 16}-01", False))
    c.append(tp_case("parent-id upper-case is invalid", R_PID, f"00-{TID}-{SID.upper()}-01", False))
    c.append(
        tp_case(
            "parent-id with a non-hex char is invalid", R_PID, f"00-{TID}-{SID[:-1]}z-01", False
        )
    )
    c.append(tp_case("flags upper-case is invalid", R_FL, f"00-{TID}-{SID}-0A", False))
    c.append(tp_case("flags not hex is invalid", R_FL, f"00-{TID}-{SID}-0x", False))
    c.append(tp_case("flags of one digit is invalid", R_FL, f"00-{TID}-{SID}-1", False))
    c.append(
        tp_case(
            "unknown flags are read but reset on inject",
            R_OTHER,
            f"00-{TID}-{SID}-ff",
            True,
            flags="ff",
        )
    )
    c.append(
        tp_case(
            "flag 02 alone is not sampled",
            R_OTHER,
            f"00-{TID}-{SID}-02",
            True,
            reinject_flags="00",
            flags="02",
        )
    )
    c.append(
        tp_case(
            "flags 09 are sampled (masking, not comparing)",
            R_OTHER,
            f"00-{TID}-{SID}-09",
            True,
            flags="09",
        )
    )
    c.append(
        tp_case(
            "underscore delimiters are invalid",
            "§3.2.2 '-' is the delimiter",
            TP.replace("-", "_"),
            False,
        )
    )
    c.append(
        tp_case(
            "a missing delimiter is invalid",
            "§3.2.2 '-' is the delimiter",
            f"00-{TID}x{SID}-01",
            False,
        )
    )
    c.append(
        tp_case(
            "spaces inside are invalid",
            "§3.2.2 traceparent field values",
            f"00-{TID}-{SID} 01",
            False,
        )
    )
    c.append(
        tp_case(
            "OWS around the header value is not part of it",
            "RFC 7230 §3.2: leading and trailing OWS is not part of the field value",
            f" \t{TP} ",
            True,
        )
    )
    c.append(
        case(
            "two traceparent headers are invalid",
            "§3.2.4 a combined (repeated) traceparent is not a valid value",
            {"traceparent": [TP, TP]},
            bad(),
            {},
        )
    )
    c.append(
        case(
            "no traceparent: tracestate is ignored",
            "§3.3 if the vendor failed to parse traceparent, "
            "it MUST NOT attempt to parse tracestate",
            {"tracestate": "a=1"},
            bad(),
            {},
        )
    )
    c.append(
        case(
            "invalid traceparent: tracestate is ignored",
            "§3.3 if the vendor failed to parse traceparent, "
            "it MUST NOT attempt to parse tracestate",
            {"traceparent": f"00-{TID}-{SID}-0g", "tracestate": "a=1"},
            bad(),
            {},
        )
    )
    # tracestate
    R_TSF = "§3.3 failure to parse tracestate MUST NOT affect the parsing of traceparent"
    R_MULTI = "§3.3.1 multiple tracestate header fields MUST be combined (RFC 7230 §3.2.2)"
    R_EMPTY = "§3.3.1 vendors MUST accept empty tracestate headers; empty list members are allowed"
    R_KEY = "§3.3.1.3.1 key = simple-key / multi-tenant-key (level 1 grammar)"
    R_VAL = "§3.3.1.3.2 value = 0*255(chr) nblk-chr; printable ASCII except ',' and '='"
    R_DUP = "§3.3.1.4 only one entry per key is allowed"
    R_MAX = "§3.3.1.2 there can be a maximum of 32 list-members"
    R_TRUNC = (
        "§3.3.1.5 truncate whole entries; entries larger than 128 chars removed first, "
        "then from the end"
    )
    R_OWS = "§3.3.1.2 spaces and tabs surrounding list-members are ignored"
    c.append(
        ts_case(
            "two members",
            "§3.3.1 tracestate list",
            "rojo=00f067aa0ba902b7,congo=t61rcWkgMzE",
            [["rojo", "00f067aa0ba902b7"], ["congo", "t61rcWkgMzE"]],
        )
    )
    c.append(
        ts_case(
            "multiple tracestate headers are combined",
            R_MULTI,
            ["a=1", "b=2,c=3"],
            [["a", "1"], ["b", "2"], ["c", "3"]],
        )
    )
    c.append(ts_case("empty tracestate header is accepted", R_EMPTY, "", None))
    c.append(
        ts_case(
            "empty and whitespace-only members are skipped",
            R_EMPTY,
            ",, a=1 ,\t, ,b=2,",
            [["a", "1"], ["b", "2"]],
        )
    )
    c.append(
        ts_case(
            "an empty tracestate header among others",
            R_MULTI + "; " + R_EMPTY,
            ["a=1", "", "b=2"],
            [["a", "1"], ["b", "2"]],
        )
    )
    c.append(
        ts_case(
            "OWS around members is ignored", R_OWS, " \ta=1 \t,\t b=2  ", [["a", "1"], ["b", "2"]]
        )
    )
    c.append(ts_case("leading spaces of a value are kept", R_VAL, "a=  1", [["a", "  1"]]))
    c.append(
        ts_case("trailing spaces of a value are OWS", R_VAL, "a=1  ,b=2", [["a", "1"], ["b", "2"]])
    )
    c.append(ts_case("invalid tracestate keeps the traceparent", R_TSF, "a=1,@@", None))
    c.append(ts_case("key of 256 chars is valid", R_KEY, "k" * 256 + "=1", [["k" * 256, "1"]]))
    c.append(ts_case("key of 257 chars is invalid", R_KEY, "k" * 257 + "=1", None))
    c.append(ts_case("simple key starting with a digit is invalid", R_KEY, "1a=1", None))
    c.append(ts_case("upper-case key is invalid", R_KEY, "Congo=1", None))
    c.append(ts_case("key with '.' is invalid", R_KEY, "a.b=1", None))
    c.append(ts_case("key with a space before '=' is invalid", R_KEY, "a =1", None))
    c.append(ts_case("key with all allowed chars", R_KEY, "a0_-*/z=1", [["a0_-*/z", "1"]]))
    c.append(ts_case("multi-tenant key", R_KEY, "fw529a3039@dt=1", [["fw529a3039@dt", "1"]]))
    c.append(ts_case("tenant may start with a digit", R_KEY, "0t@s=1", [["0t@s", "1"]]))
    long_mt = "t" * 241 + "@" + "s" * 14
    c.append(
        ts_case(
            "tenant of 241 and system of 14 chars are valid",
            R_KEY,
            long_mt + "=1",
            [[long_mt, "1"]],
        )
    )
    c.append(ts_case("tenant of 242 chars is invalid", R_KEY, "t" * 242 + "@s=1", None))
    c.append(ts_case("system of 15 chars is invalid", R_KEY, "t@" + "s" * 15 + "=1", None))
    c.append(ts_case("system starting with a digit is invalid", R_KEY, "t@0s=1", None))
    c.append(ts_case("empty tenant is invalid", R_KEY, "@s=1", None))
    c.append(ts_case("empty system is invalid", R_KEY, "t@=1", None))
    c.append(ts_case("two '@' are invalid", R_KEY, "a@b@c=1", None))
    c.append(ts_case("value of 256 chars is valid", R_VAL, "a=" + "v" * 256, [["a", "v" * 256]]))
    c.append(ts_case("value of 257 chars is invalid", R_VAL, "a=" + "v" * 257, None))
    c.append(
        ts_case(
            "value with all printable chars but ',' and '='",
            R_VAL,
            "a=!\"#$%&'()*+-./:;<>?@[\\]^_`{|}~ x",
            [["a", "!\"#$%&'()*+-./:;<>?@[\\]^_`{|}~ x"]],
        )
    )
    c.append(ts_case("value with '=' is invalid", R_VAL, "a=b=c", None))
    c.append(ts_case("value with a tab inside is invalid", R_VAL, "a=b\tc", None))
    c.append(ts_case("value with a DEL char is invalid", R_VAL, "a=b\u007fc", None))
    c.append(ts_case("tracestate value empty is invalid", R_VAL, "a=", None))
    c.append(
        ts_case(
            "member without '=' is invalid", '§3.3.1.2 list-member = key "=" value', "a=1,b", None
        )
    )
    c.append(ts_case("duplicate keys are invalid", R_DUP, "a=1,b=2,a=3", None))
    c.append(ts_case("duplicate keys across headers are invalid", R_DUP, ["a=1", "a=1"], None))
    m32 = [[f"k{i}", "v"] for i in range(32)]
    c.append(ts_case("32 members are valid", R_MAX, ",".join(f"{k}={v}" for k, v in m32), m32))
    c.append(
        ts_case(
            "32 members plus empty ones are valid",
            R_MAX + "; " + R_EMPTY,
            ",".join(f"{k}={v}" for k, v in m32) + ",,",
            m32,
        )
    )
    m33 = [[f"k{i}", "v"] for i in range(33)]
    c.append(ts_case("33 members are invalid", R_MAX, ",".join(f"{k}={v}" for k, v in m33), None))
    # Truncation on inject: 5 members of 130 chars and 5 short ones, interleaved (676 bytes).
    trunc = []
    for i in range(5):
        trunc.append([f"long{i}", "l" * (130 - 6)])
        trunc.append([f"s{i}", "x"])
    kept = [m for m in trunc if m[0] not in ("long4", "long3")]
    c.append(
        ts_case(
            "over 512 bytes: long entries are dropped first, from the end",
            R_TRUNC,
            ",".join(f"{k}={v}" for k, v in trunc),
            trunc,
            ",".join(f"{k}={v}" for k, v in kept),
        )
    )
    short = [[f"key{i:02d}", "v" * 20] for i in range(20)]  # 26 bytes each: 539 bytes
    c.append(
        ts_case(
            "over 512 bytes without long entries: dropped from the end",
            R_TRUNC,
            ",".join(f"{k}={v}" for k, v in short),
            short,
            ",".join(f"{k}={v}" for k, v in short[:19]),
        )
    )
    exact = [[f"key{i:02d}", "v" * 19] for i in range(20)]  # 20 * 25 + 19 = 519
    exact[0][1] = "v" * 12  # 512 bytes exactly
    c.append(
        ts_case(
            "exactly 512 bytes are kept whole",
            R_TRUNC,
            ",".join(f"{k}={v}" for k, v in exact),
            exact,
        )
    )
    return {"format": "tracecontext", "propagator": "tracecontext", "reference": TC, "cases": c}


def bg(key, value, metadata=""):
    return {"key": key, "value": value, "metadata": metadata}


def bag_case(name, rule, header, entries, reinject):
    carrier = {"baggage": header}
    return case(
        name,
        rule,
        carrier,
        bad(baggage=entries) if entries else bad(),
        {"baggage": reinject} if reinject is not None else {},
    )


def baggage():
    c = []
    R_G = '§3.2.1 baggage-string = list-member 0*179( OWS "," OWS list-member )'
    R_KEY = "§3.2.1.1 key = token (RFC 7230 §3.2.6); OWS MUST be trimmed"
    R_VAL = "§3.2.1.2 value = *baggage-octet; OWS MUST be trimmed"
    R_PCT = (
        "§3.2.1.2 a value is a percent-encoded UTF-8 string; encode what is outside baggage-octet"
    )
    R_UTF = "§3.2.1.2 percent-encoded octets that are not UTF-8 MUST be replaced by U+FFFD"
    R_EQ = (
        "§3.2.1.2 values MAY contain '='; parsers MUST NOT assume it only separates key and value"
    )
    R_PROP = "§3.2.1.3 properties after ';': key OWS \"=\" OWS value / key OWS; OWS MUST be trimmed"
    R_MULTI = "§3.1 multiple baggage headers are combined (RFC 7230)"
    R_LIM = "§3.3 a platform MUST propagate at least 64 list-members and 8192 bytes"
    R_DROP = "§4 an entry not in the format MAY be removed; over the limits, entries MAY be dropped"
    R_NAME = "§3.1 header name baggage (HTTP header names are case-insensitive)"
    c.append(bag_case("single entry", R_G, "userId=alice", [bg("userId", "alice")], "userId=alice"))
    c.append(
        bag_case(
            "several entries keep their order",
            R_G,
            "userId=alice,serverNode=DF%2028,isProduction=false",
            [bg("userId", "alice"), bg("serverNode", "DF 28"), bg("isProduction", "false")],
            "userId=alice,serverNode=DF%2028,isProduction=false",
        )
    )
    c.append(
        bag_case(
            "OWS around keys, values and commas is trimmed",
            R_KEY + "; " + R_VAL,
            "userId =   alice , serverNode = DF%2028\t,\tisProduction = false",
            [bg("userId", "alice"), bg("serverNode", "DF 28"), bg("isProduction", "false")],
            "userId=alice,serverNode=DF%2028,isProduction=false",
        )
    )
    c.append(
        bag_case(
            "the spec example with properties",
            R_PROP,
            "key1=value1;property1;property2, key2 = value2, "
            "key3=value3; propertyKey=propertyValue",
            [
                bg("key1", "value1", "property1;property2"),
                bg("key2", "value2"),
                bg("key3", "value3", "propertyKey=propertyValue"),
            ],
            "key1=value1;property1;property2,key2=value2,key3=value3;propertyKey=propertyValue",
        )
    )
    c.append(
        bag_case(
            "OWS inside properties is trimmed",
            R_PROP,
            "k \t = \t v \t ; \t p \t = \t pv \t ; \t q",
            [bg("k", "v", "p=pv;q")],
            "k=v;p=pv;q",
        )
    )
    c.append(
        bag_case(
            "property values are kept as written",
            R_PROP,
            "k=v;p=%20x",
            [bg("k", "v", "p=%20x")],
            "k=v;p=%20x",
        )
    )
    c.append(bag_case("percent-encoded space", R_PCT, "k=a%20b", [bg("k", "a b")], "k=a%20b"))
    c.append(
        bag_case("lower-case escapes decode too", R_PCT, "k=a%2cb", [bg("k", "a,b")], "k=a%2Cb")
    )
    c.append(
        bag_case(
            "delimiters round-trip encoded",
            R_PCT,
            "k=%2C%3B%22%5C%25%20",
            [bg("k", ',;"\\% ')],
            "k=%2C%3B%22%5C%25%20",
        )
    )
    c.append(
        bag_case(
            "UTF-8 multibyte value",
            R_PCT,
            "k=%E2%9C%93%F0%9F%98%80",
            [bg("k", "\u2713\U0001f600")],
            "k=%E2%9C%93%F0%9F%98%80",
        )
    )
    c.append(
        bag_case(
            "invalid UTF-8 byte becomes U+FFFD",
            R_UTF,
            "k=a%FFb",
            [bg("k", "a\ufffdb")],
            "k=a%EF%BF%BDb",
        )
    )
    c.append(
        bag_case(
            "truncated UTF-8 sequence becomes U+FFFD",
            R_UTF,
            "k=%E2%9C",
            [bg("k", "\ufffd")],
            "k=%EF%BF%BD",
        )
    )
    c.append(
        bag_case(
            "overlong UTF-8 encoding becomes U+FFFD",
            R_UTF,
            "k=%C0%AF",
            [bg("k", "\ufffd\ufffd")],
            "k=%EF%BF%BD%EF%BF%BD",
        )
    )
    c.append(
        bag_case(
            "a '%' without two hex digits stays literal",
            R_PCT,
            "k=100%,k2=%zz",
            [bg("k", "100%"), bg("k2", "%zz")],
            "k=100%25,k2=%25zz",
        )
    )
    c.append(bag_case("values may contain '='", R_EQ, "k=a=b==", [bg("k", "a=b==")], "k=a=b=="))
    c.append(
        bag_case(
            "empty value is allowed", R_VAL, "k=,k2=v", [bg("k", ""), bg("k2", "v")], "k=,k2=v"
        )
    )
    c.append(
        bag_case(
            "all tchar in a key",
            R_KEY,
            "!#$%&'*+-.^_`|~09azAZ=v",
            [bg("!#$%&'*+-.^_`|~09azAZ", "v")],
            "!#$%&'*+-.^_`|~09azAZ=v",
        )
    )
    c.append(bag_case("keys are not percent-decoded", R_KEY, "k%41=v", [bg("k%41", "v")], "k%41=v"))
    c.append(
        bag_case(
            "keys are case-sensitive", R_KEY, "K=1,k=2", [bg("K", "1"), bg("k", "2")], "K=1,k=2"
        )
    )
    c.append(
        case(
            "multiple baggage headers are combined",
            R_MULTI,
            {"baggage": ["userId=alice", "serverNode=DF%2028,isProduction=false"]},
            bad(
                baggage=[
                    bg("userId", "alice"),
                    bg("serverNode", "DF 28"),
                    bg("isProduction", "false"),
                ]
            ),
            {"baggage": "userId=alice,serverNode=DF%2028,isProduction=false"},
        )
    )
    c.append(
        case(
            "header name in upper case",
            R_NAME,
            {"BAGGAGE": "k=v"},
            bad(baggage=[bg("k", "v")]),
            {"baggage": "k=v"},
        )
    )
    c.append(
        bag_case(
            "key with a space inside is dropped",
            R_KEY + "; " + R_DROP,
            "bad key=1,ok=2",
            [bg("ok", "2")],
            "ok=2",
        )
    )
    c.append(
        bag_case(
            "key with a separator is dropped",
            R_KEY + "; " + R_DROP,
            "a(b=1,a@b=2,ok=3",
            [bg("ok", "3")],
            "ok=3",
        )
    )
    c.append(
        bag_case("empty key is dropped", R_KEY + "; " + R_DROP, "=1,ok=2", [bg("ok", "2")], "ok=2")
    )
    c.append(
        bag_case(
            "value with a space inside is dropped",
            R_VAL + "; " + R_DROP,
            "k=a b,ok=2",
            [bg("ok", "2")],
            "ok=2",
        )
    )
    c.append(
        bag_case(
            "value with DQUOTE or backslash is dropped",
            R_VAL + "; " + R_DROP,
            'k="a",k2=a\\b,ok=2',
            [bg("ok", "2")],
            "ok=2",
        )
    )
    c.append(
        bag_case(
            "value with a non-ASCII byte is dropped",
            R_VAL + "; " + R_DROP,
            "k=caf\u00e9,ok=2",
            [bg("ok", "2")],
            "ok=2",
        )
    )
    c.append(
        bag_case(
            "member without '=' is dropped", R_G + "; " + R_DROP, "a,ok=2", [bg("ok", "2")], "ok=2"
        )
    )
    c.append(
        bag_case(
            "empty property is dropped with its member",
            R_PROP + "; " + R_DROP,
            "k=v;,ok=2",
            [bg("ok", "2")],
            "ok=2",
        )
    )
    c.append(
        bag_case(
            "property with an invalid key is dropped with its member",
            R_PROP + "; " + R_DROP,
            "k=v;p q=1,ok=2",
            [bg("ok", "2")],
            "ok=2",
        )
    )
    c.append(
        bag_case(
            "empty list members are skipped",
            R_G + "; " + R_DROP,
            ",a=1,, ,b=2,",
            [bg("a", "1"), bg("b", "2")],
            "a=1,b=2",
        )
    )
    c.append(bag_case("empty header means no baggage", R_G, "", None, None))
    c.append(
        bag_case(
            "duplicate key: the later value replaces the earlier in place",
            "§3.2.1 uniqueness of keys is not guaranteed; §4 duplicates MAY be removed",
            "a=1,b=2,a=3",
            [bg("a", "3"), bg("b", "2")],
            "a=3,b=2",
        )
    )
    m64 = [bg(f"k{i}", "v") for i in range(64)]
    c.append(
        bag_case(
            "64 members are all propagated",
            R_LIM,
            ",".join(f"k{i}=v" for i in range(64)),
            m64,
            ",".join(f"k{i}=v" for i in range(64)),
        )
    )
    c.append(
        bag_case(
            "over 64 members: the first 64 are kept",
            R_LIM + "; " + R_DROP,
            ",".join(f"k{i}=v" for i in range(70)),
            m64,
            ",".join(f"k{i}=v" for i in range(64)),
        )
    )
    # 8 members "kN=" + 1021 chars = 1024 bytes each, plus 7 commas: 8199 > 8192; shrink one.
    big = [[f"k{i}", "v" * 1021] for i in range(8)]
    big[0][1] = "v" * (1021 - 7)
    hdr = ",".join(f"{k}={v}" for k, v in big)
    assert len(hdr) == 8192
    c.append(
        bag_case(
            "a header of exactly 8192 bytes is propagated whole",
            R_LIM,
            hdr,
            [bg(k, v) for k, v in big],
            hdr,
        )
    )
    # 1024 bytes per big entry: 7 fit (7174 bytes with commas), the 8th and 9th do not
    # (8199 > 8192), the small one after them does.
    over = [[f"k{i}", "v" * 1021] for i in range(9)] + [["small", "s"]]
    kept = over[:7] + over[9:]
    c.append(
        bag_case(
            "over 8192 bytes: whole entries that do not fit are dropped",
            R_LIM + "; " + R_DROP,
            ",".join(f"{k}={v}" for k, v in over),
            [bg(k, v) for k, v in over],
            ",".join(f"{k}={v}" for k, v in kept),
        )
    )
    return {"format": "baggage", "propagator": "baggage", "reference": BAG, "cases": c}


B3T = "80f198ee56343ba864fe8b2a57d3eff7"
B3S = "e457b5a2e4d86bd1"
B3P = "05e3ac9a4f6e3b90"


def b3_single():
    c = []
    R_ID = "TraceId: 16 or 32 lower-hex chars (64-bit ids are left-padded to 128 bits); SpanId: 16"
    R_SS = "single header: {TraceId}-{SpanId}-{SamplingState}-{ParentSpanId}, last two optional"
    R_S = "SamplingState: 1 accept, 0 deny, d debug (debug implies accept)"
    R_ONLY = "single header may carry only a SamplingState; no ids means no trace to continue"
    R_ZERO = "an all-zero id is invalid"
    R_PRI = "single header takes precedence over multi headers (OpenTelemetry B3 propagator)"

    def s(name, rule, value, tid=B3T, flags=None):
        if flags is None:
            return case(name, rule, {"b3": value}, bad(), {})
        return case(
            name,
            rule,
            {"b3": value},
            ok(trace_id=tid, span_id=B3S, flags=flags),
            {"b3": f"{tid}-{B3S}-{'1' if flags == '01' else '0'}"},
        )

    c.append(s("all four fields", R_SS, f"{B3T}-{B3S}-1-{B3P}", flags="01"))
    c.append(s("ids and sampled", R_SS, f"{B3T}-{B3S}-1", flags="01"))
    c.append(s("ids only: sampling deferred, not sampled", R_SS, f"{B3T}-{B3S}", flags="00"))
    c.append(s("deny", R_S, f"{B3T}-{B3S}-0", flags="00"))
    c.append(s("debug implies sampled", R_S, f"{B3T}-{B3S}-d", flags="01"))
    c.append(
        s(
            "64-bit trace id is left-padded",
            R_ID,
            f"{B3T[16:]}-{B3S}-1",
            tid="0" * 16 + B3T[16:],
            flags="01",
        )
    )
    c.append(
        s(
            "OWS around the header value is not part of it",
            "RFC 7230 §3.2: leading and trailing OWS is not part of the field value",
            f" {B3T}-{B3S}-1 ",
            flags="01",
        )
    )
    c.append(
        case(
            "header name in upper case",
            "HTTP header names are case-insensitive",
            {"B3": f"{B3T}-{B3S}-1"},
            ok(trace_id=B3T, span_id=B3S, flags="01"),
            {"b3": f"{B3T}-{B3S}-1"},
        )
    )
    c.append(s("deny only", R_ONLY, "0"))
    c.append(s("accept only", R_ONLY, "1"))
    c.append(s("debug only", R_ONLY, "d"))
    c.append(s("bad lone sampling state", R_S, "x"))
    c.append(s("upper-case trace id is invalid", R_ID, f"{B3T.upper()}-{B3S}-1"))
    c.append(s("upper-case span id is invalid", R_ID, f"{B3T}-{B3S.upper()}-1"))
    c.append(s("trace id of 20 chars is invalid", R_ID, f"{B3T[:20]}-{B3S}-1"))
    c.append(s("span id of 15 chars is invalid", R_ID, f"{B3T}-{B3S[:15]}-1"))
    c.append(s("all-zero trace id is invalid", R_ZERO, f"{'0' * 32}-{B3S}-1"))
    c.append(s("all-zero span id is invalid", R_ZERO, f"{B3T}-{'0' * 16}-1"))
    c.append(s("sampling state 'true' is invalid in the single header", R_S, f"{B3T}-{B3S}-true"))
    c.append(s("sampling state 2 is invalid", R_S, f"{B3T}-{B3S}-2"))
    c.append(s("parent without sampling state is invalid", R_SS, f"{B3T}-{B3S}-{B3P}"))
    c.append(s("trailing dash is invalid", R_SS, f"{B3T}-{B3S}-1-"))
    c.append(s("parent of 15 chars is invalid", R_SS, f"{B3T}-{B3S}-1-{B3P[:15]}"))
    c.append(s("empty value is invalid", R_SS, ""))
    c.append(
        case(
            "single wins over multi",
            R_PRI,
            {
                "b3": f"{B3T}-{B3S}-0",
                "X-B3-TraceId": "463ac35c9f6413ad48485a3953bb6124",
                "X-B3-SpanId": "a2fb4a1d1a96d312",
                "X-B3-Sampled": "1",
            },
            ok(trace_id=B3T, span_id=B3S, flags="00"),
            {"b3": f"{B3T}-{B3S}-0"},
        )
    )
    c.append(
        case(
            "invalid single falls back to multi",
            R_PRI,
            {
                "b3": "garbage",
                "X-B3-TraceId": "463ac35c9f6413ad48485a3953bb6124",
                "X-B3-SpanId": "a2fb4a1d1a96d312",
                "X-B3-Sampled": "1",
            },
            ok(trace_id="463ac35c9f6413ad48485a3953bb6124", span_id="a2fb4a1d1a96d312"),
            {"b3": "463ac35c9f6413ad48485a3953bb6124-a2fb4a1d1a96d312-1"},
        )
    )
    return {"format": "b3", "propagator": "b3", "reference": B3, "cases": c}


def b3_multi():
    c = []
    R_M = "X-B3-TraceId and X-B3-SpanId: lower-hex ids; X-B3-ParentSpanId optional"
    R_SAM = "X-B3-Sampled: 1 or 0 (true/false accepted from older tracers)"
    R_FL = "X-B3-Flags: 1 means debug, which implies accept"
    T2, S2 = "463ac35c9f6413ad48485a3953bb6124", "a2fb4a1d1a96d312"

    def m(name, rule, headers, tid=T2, flags=None):
        if flags is None:
            return case(name, rule, headers, bad(), {})
        return case(
            name,
            rule,
            headers,
            ok(trace_id=tid, span_id=S2, flags=flags),
            {"x-b3-traceid": tid, "x-b3-spanid": S2, "x-b3-sampled": "1" if flags == "01" else "0"},
        )

    base = {"X-B3-TraceId": T2, "X-B3-SpanId": S2}
    c.append(
        m(
            "all headers",
            R_M,
            {**base, "X-B3-ParentSpanId": "0020000000000001", "X-B3-Sampled": "1"},
            flags="01",
        )
    )
    c.append(m("ids only: not sampled", R_M, base, flags="00"))
    c.append(
        m(
            "lower-case header names",
            "HTTP header names are case-insensitive",
            {"x-b3-traceid": T2, "x-b3-spanid": S2, "x-b3-sampled": "1"},
            flags="01",
        )
    )
    c.append(
        m(
            "64-bit trace id is left-padded",
            R_M,
            {"X-B3-TraceId": T2[16:], "X-B3-SpanId": S2, "X-B3-Sampled": "1"},
            tid="0" * 16 + T2[16:],
            flags="01",
        )
    )
    c.append(m("sampled 0 is deny", R_SAM, {**base, "X-B3-Sampled": "0"}, flags="00"))
    c.append(m("sampled true is accept", R_SAM, {**base, "X-B3-Sampled": "true"}, flags="01"))
    c.append(m("sampled false is deny", R_SAM, {**base, "X-B3-Sampled": "false"}, flags="00"))
    c.append(m("unknown sampled value is invalid", R_SAM, {**base, "X-B3-Sampled": "yes"}))
    c.append(m("flags 1 is debug and sampled", R_FL, {**base, "X-B3-Flags": "1"}, flags="01"))
    c.append(
        m(
            "debug overrides sampled 0",
            R_FL,
            {**base, "X-B3-Flags": "1", "X-B3-Sampled": "0"},
            flags="01",
        )
    )
    c.append(
        m(
            "flags 0 leaves sampled alone",
            R_FL,
            {**base, "X-B3-Flags": "0", "X-B3-Sampled": "1"},
            flags="01",
        )
    )
    c.append(m("unknown flags value is invalid", R_FL, {**base, "X-B3-Flags": "2"}))
    c.append(m("missing span id is invalid", R_M, {"X-B3-TraceId": T2, "X-B3-Sampled": "1"}))
    c.append(m("missing trace id is invalid", R_M, {"X-B3-SpanId": S2}))
    c.append(m("sampled only carries no trace", R_SAM, {"X-B3-Sampled": "1"}))
    c.append(
        m("upper-case trace id is invalid", R_M, {"X-B3-TraceId": T2.upper(), "X-B3-SpanId": S2})
    )
    c.append(m("bad parent span id is invalid", R_M, {**base, "X-B3-ParentSpanId": "xyz"}))
    c.append(m("all-zero span id is invalid", R_M, {"X-B3-TraceId": T2, "X-B3-SpanId": "0" * 16}))
    return {"format": "b3multi", "propagator": "b3multi", "reference": B3, "cases": c}


EX = "00" + "00" + "4bf92f3577b34da6a3ce929d000e4736" + "01" + "34f067aa0ba902b7" + "02" + "01"
OTID, OSID = "4bf92f3577b34da6a3ce929d000e4736", "34f067aa0ba902b7"


def b64(hexstr, pad):
    import base64

    s = base64.b64encode(bytes.fromhex(hexstr)).decode()
    return s if pad else s.rstrip("=")


def grpc_trace_bin():
    c = []
    R_L = "version 0: fields field_id 0 trace-id (16), 1 span-id (8), 2 trace-options (1)"
    R_OPT = "every field is optional; trace-options bit 0 = sampled, other bits undefined"
    R_ORD = "fields within a version may come in any order and repeat"
    R_UNK = "decoding stops at the first unknown field id, which is not an error"
    R_VER = "only version 0 is defined"
    R_ZERO = "all-zero trace-id or span-id is invalid"
    R_B64 = "gRPC -bin metadata may arrive base64 (standard alphabet, padded or not)"

    def g(name, rule, hexval, flags=None, value=None):
        carrier = {"grpc-trace-bin": value if value is not None else "hex:" + hexval}
        if flags is None:
            return case(name, rule, carrier, bad(), {})
        out = EX[:-2] + ("01" if int(flags, 16) & 1 else "00")
        return case(
            name,
            rule,
            carrier,
            ok(trace_id=OTID, span_id=OSID, flags=flags),
            {"grpc-trace-bin": "hex:" + out},
        )

    c.append(g("spec example", R_L, EX, flags="01"))
    c.append(g("not sampled", R_L, EX[:-2] + "00", flags="00"))
    c.append(g("options missing means not sampled", R_OPT, EX[:-4], flags="00"))
    c.append(g("unknown option bits are read but not written", R_OPT, EX[:-2] + "ff", flags="ff"))
    c.append(g("option bit 1 alone is not sampled", R_OPT, EX[:-2] + "02", flags="02"))
    c.append(
        g("fields in reverse order", R_ORD, "00" + "0201" + "01" + OSID + "00" + OTID, flags="01")
    )
    c.append(
        g("a repeated field: the last wins", R_ORD, "00" + "00" + "11" * 16 + EX[2:], flags="01")
    )
    c.append(g("unknown field after the context is ignored", R_UNK, EX + "7f0102", flags="01"))
    c.append(g("unknown field then a cut field is still fine", R_UNK, EX + "0300", flags="01"))
    c.append(
        g(
            "unknown field before the span id hides it",
            R_UNK,
            "00" + "00" + OTID + "05" + "01" + OSID,
        )
    )
    c.append(g("version 1 is invalid", R_VER, "01" + EX[2:]))
    c.append(g("version ff is invalid", R_VER, "ff" + EX[2:]))
    c.append(g("empty value is invalid", R_L, "", value=""))
    c.append(g("version byte alone has no ids", R_L, "00"))
    c.append(g("trace id cut short is invalid", R_L, EX[:20]))
    c.append(g("span id cut short is invalid", R_L, EX[:50]))
    c.append(g("options field without its byte is invalid", R_L, EX[:-2]))
    c.append(g("missing trace id is invalid", R_L, "00" + "01" + OSID + "0201"))
    c.append(g("missing span id is invalid", R_L, "00" + "00" + OTID + "0201"))
    c.append(g("all-zero trace id is invalid", R_ZERO, "0000" + "00" * 16 + EX[36:]))
    c.append(g("all-zero span id is invalid", R_ZERO, EX[:38] + "00" * 8 + EX[54:]))
    c.append(g("base64 with padding", R_B64, "", flags="01", value=b64(EX, True)))
    c.append(g("base64 without padding", R_B64, "", flags="01", value=b64(EX, False)))
    c.append(
        g(
            "url-safe base64 is invalid",
            R_B64,
            "",
            value=b64(EX, False).replace("+", "-").replace("/", "_"),
        )
    )
    c.append(g("base64 with a bad char is invalid", R_B64, "", value=b64(EX, False)[:-1] + "*"))
    c.append(g("base64 of an impossible length is invalid", R_B64, "", value=b64(EX, False) + "A"))
    c.append(g("base64 of version 1 is invalid", R_B64, "", value=b64("01" + EX[2:], True)))
    x = g("base64 inject option writes unpadded base64", R_B64, EX, flags="01")
    x["binary_inject"] = "base64"
    x["reinject"] = {"grpc-trace-bin": b64(EX, False)}
    c.append(x)
    return {"format": "grpc-trace-bin", "propagator": "grpc-trace-bin", "reference": OC, "cases": c}


def composite():
    c = []
    R = (
        "composite: the first propagator in order that yields a valid span context wins; "
        "baggage is merged; inject writes every format"
    )
    all_out = lambda tid, sid, f: {  # noqa: E731
        "traceparent": f"00-{tid}-{sid}-{f}",
        "grpc-trace-bin": "hex:0000" + tid + "01" + sid + "02" + f,
        "b3": f"{tid}-{sid}-{f[1]}",
    }
    c.append(
        case(
            "traceparent wins over the others",
            R,
            {"traceparent": TP, "grpc-trace-bin": "hex:" + EX, "b3": f"{B3T}-{B3S}-1"},
            ok(),
            all_out(TID, SID, "01"),
        )
    )
    c.append(
        case(
            "grpc-trace-bin is next when traceparent is invalid",
            R,
            {"traceparent": "00-bogus", "grpc-trace-bin": "hex:" + EX, "b3": f"{B3T}-{B3S}-1"},
            ok(trace_id=OTID, span_id=OSID),
            all_out(OTID, OSID, "01"),
        )
    )
    c.append(
        case(
            "b3 is last",
            R,
            {"b3": f"{B3T}-{B3S}-0"},
            ok(trace_id=B3T, span_id=B3S, flags="00"),
            all_out(B3T, B3S, "00"),
        )
    )
    c.append(
        case(
            "baggage comes along with the span context",
            R,
            {"b3": f"{B3T}-{B3S}-1", "baggage": "k=v"},
            ok(trace_id=B3T, span_id=B3S, baggage=[bg("k", "v")]),
            {**all_out(B3T, B3S, "01"), "baggage": "k=v"},
        )
    )
    c.append(
        case(
            "baggage alone", R, {"baggage": "k=v"}, bad(baggage=[bg("k", "v")]), {"baggage": "k=v"}
        )
    )
    c.append(case("nothing to extract", R, {"other": "x"}, bad(), {}))
    return {
        "format": "composite",
        "propagator": "tracecontext,grpc-trace-bin,b3,baggage",
        "reference": "OTEL_PROPAGATORS (OpenTelemetry SDK environment variables)",
        "cases": c,
    }


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    files = {
        "tracecontext.json": tracecontext(),
        "baggage.json": baggage(),
        "b3.json": b3_single(),
        "b3multi.json": b3_multi(),
        "grpc_trace_bin.json": grpc_trace_bin(),
        "composite.json": composite(),
    }
    total = 0
    for name, doc in files.items():
        names = [c["name"] for c in doc["cases"]]
        assert len(names) == len(set(names)), name
        total += len(names)
        with open(os.path.join(here, name), "w", encoding="utf-8") as f:
            json.dump(doc, f, indent=1, ensure_ascii=False)
            f.write("\n")
    print(f"wrote {len(files)} files, {total} cases")


if __name__ == "__main__":
    main()
