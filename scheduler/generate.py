"""Realistic synthetic events of any size, seeded, for users and benchmarks.

Each generator returns a plain dict that is a valid event file (dump it with
:func:`write_event`). Brokerage instances follow the shape of the real ones in
Bofill et al. (JAIR 2022): one day in a morning and an afternoon session,
participants who come to one session or both, a few forbidden slots, some
fixed meetings, every meeting required; they are feasible by construction.

Traits (``traits=``, ``schedule generate ... --traits``) add what real events
have and the plain ones lack: Pareto-popular buyers, scarce interpreters,
half-day people, fixed tables, reservations, two-slot meetings, requests with
no or a named interpreter, required and pinned requests, two days; remote
windows in the buyers' own office hours; brokerage participants who come late,
leave early or step out. None is on by default, so a seed keeps giving the
event it gave before (the benchmarks' figures rest on that); ``all`` turns on
every trait of the kind. Traits draw from their own random stream: the same
seed and traits give the same file.
"""

from __future__ import annotations

import copy
import datetime as dt
import os
import random
import tempfile
from pathlib import Path

import yaml

from scheduler.model.languages import bridges

# (country, languages, time zone, weight) of buyers a KOTRA plaza typically invites.
_BUYER_ORIGINS = [
    ("CN", ["zh"], "Asia/Shanghai", 12), ("JP", ["ja"], "Asia/Tokyo", 8), ("VN", ["vi"], "Asia/Ho_Chi_Minh", 8),
    ("TH", ["th", "en"], "Asia/Bangkok", 5), ("US", ["en"], "America/Los_Angeles", 7),
    ("US", ["en", "es"], "America/New_York", 3), ("RU", ["ru"], "Europe/Moscow", 5),
    ("IN", ["en", "hi"], "Asia/Kolkata", 5), ("ID", ["id", "en"], "Asia/Jakarta", 4),
    ("MY", ["ms", "en"], "Asia/Kuala_Lumpur", 3), ("AE", ["ar", "en"], "Asia/Dubai", 3),
    ("SA", ["ar"], "Asia/Riyadh", 2), ("MN", ["mn"], "Asia/Ulaanbaatar", 2), ("DE", ["de", "en"], "Europe/Berlin", 3),
    ("ES", ["es", "en"], "Europe/Madrid", 2), ("MX", ["es"], "America/Mexico_City", 2),
    ("BR", ["pt", "es"], "America/Sao_Paulo", 2), ("GB", ["en"], "Europe/London", 2),
    ("AU", ["en"], "Australia/Sydney", 2), ("KZ", ["ru", "kk"], "Asia/Almaty", 1),
]
_GIVEN = ["Wei", "Yuki", "Linh", "Somchai", "Maria", "Olga", "Arjun", "Siti", "Ahmed", "Bat", "Jonas", "Lucia",
          "Pedro", "Emma", "Noor", "Chen", "Hana", "Minh", "Ravi", "Sofia", "Ivan", "Aisha", "Tom", "Ana"]
_FAMILY = ["Li", "Tanaka", "Nguyen", "Prasert", "Gomez", "Ivanova", "Sharma", "Rahman", "Al-Farsi", "Dorj",
           "Weber", "Garcia", "Silva", "Brown", "Haddad", "Wang", "Sato", "Tran", "Patel", "Rossi", "Petrov"]
_GOODS = ["Cosmetics", "Foods", "Kitchenware", "Textiles", "Baby Care", "Health", "Home", "Beauty", "Snacks",
          "Fashion", "Living", "Tea", "Pumps", "Electronics", "Crafts", "Noodles"]
_TRADE = ["Trading", "Imports", "Distribution", "Retail", "Supply", "Merchants", "Partners", "Group"]
_KOREAN_PLACES = ["Daegu", "Suseong", "Dalseo", "Gumi", "Pohang", "Andong", "Gyeongsan", "Yeongcheon", "Chilgok",
                  "Busan", "Incheon", "Jeonju", "Gwangju", "Ulsan", "Suwon", "Cheongju"]
_KOREAN_NAMES = ["Kim Minji", "Lee Seoyeon", "Park Jiwoo", "Choi Yuna", "Jung Haeun", "Kang Minseo", "Yoon Soyeon",
                 "Jang Hyejin", "Lim Jiyoung", "Han Dahye", "Oh Sungmin", "Seo Jihoon", "Shin Eunji", "Kwon Nayeon",
                 "Hwang Jiyeon", "Ahn Sujin", "Song Minho", "Jeon Hyunwoo", "Yoo Jaehyun", "Moon Seoa"]
_INTERPRETER_LANGUAGES = [["ko", "en"], ["ko", "en"], ["ko", "zh"], ["ko", "ja"], ["ko", "vi"], ["ko", "ru"],
                          ["ko", "en", "zh"], ["ko", "es", "en"], ["ko", "th"], ["ko", "id", "ms"], ["ko", "ar", "en"],
                          ["ko", "mn"], ["ko", "de", "en"], ["ko", "pt", "es"], ["ko", "hi", "en"]]


# The traits each kind can have, in the order they are applied.
TRAITS = {
    "plaza": ("popular", "two-days", "fixed-tables", "reservations", "half-day", "scarce-interpreters", "two-slot",
              "interpreter-none", "named-interpreter", "required", "pinned"),
    "teleconference": ("popular", "remote-windows", "reservations", "half-day", "interpreter-none",
                       "named-interpreter", "required", "pinned"),
    "brokerage": ("popular", "unavailable-blocks", "both-orders"),
}
# Shares of buyers (fixed tables) and of requests each trait touches.
FIXED_TABLE_SHARE = 0.05
TWO_SLOT_SHARE = 0.03
NO_INTERPRETER_SHARE = 0.02
NAMED_INTERPRETER_SHARE = 0.02
REQUIRED_SHARE = 0.01
PINNED_SHARE = 0.005
HALF_DAY_SHARE = 0.2  # of firms and of interpreters
REMOTE_WINDOWS_SHARE = 0.15  # teleconference buyers who give their office hours
BLOCKED_SHARE = 0.45  # brokerage participants who arrive late, leave early or step out
BOTH_ORDERS_SHARE = 0.03  # brokerage pairs who each ask to meet the other
INTERPRETERS_PER_BUYER = 25 / 47  # the Daegu plaza's scarcity


def parse_traits(kind: str, text: str | None) -> frozenset[str]:
    """``"popular,half-day"``, ``"all"`` or ``"none"`` (or None) as a set of the kind's traits;
    ValueError naming what is unknown."""
    if text is None or text.strip() in ("", "none"):
        return frozenset()
    if text.strip() == "all":
        return frozenset(TRAITS[kind])
    asked = [part.strip() for part in text.split(",") if part.strip()]
    unknown = [t for t in asked if t not in TRAITS[kind]]
    if unknown:
        raise ValueError(f"{', '.join(unknown)}: not a trait of a {kind} (traits: {', '.join(TRAITS[kind])}, "
                         "or all, or none)")
    return frozenset(asked)


def _trait_rng(seed: int) -> random.Random:
    return random.Random(f"traits:{seed}")


def _ids(prefix: str, count: int) -> list[str]:
    width = max(2, len(str(count)))
    return [f"{prefix}{n:0{width}d}" for n in range(1, count + 1)]


def _weekdays(start: str, count: int) -> list[dt.date]:
    day = dt.date.fromisoformat(start)
    days = []
    while len(days) < count:
        if day.weekday() < 5:
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _minutes(clock: str) -> int:
    hours, minutes = clock.split(":")
    return int(hours) * 60 + int(minutes)


def _person(rng: random.Random, id_: str, origin=None) -> dict:
    name = f"{rng.choice(_GIVEN)} {rng.choice(_FAMILY)}"
    if origin is None:
        place = rng.choice(_KOREAN_PLACES)
        languages = ["ko"] + (["en"] if rng.random() < 0.2 else []) + (["zh"] if rng.random() < 0.04 else [])
        return {"id": id_, "name": f"{place} {rng.choice(_GOODS)}", "company": f"{place} {rng.choice(_GOODS)} Co.",
                "languages": languages}
    country, languages, zone, _ = origin
    return {"id": id_, "name": name, "company": f"{rng.choice(_FAMILY)} {rng.choice(_GOODS)} {rng.choice(_TRADE)}",
            "country": country, "languages": list(languages), "timezone": zone}


def _requests(rng: random.Random, buyers: list[str], firms: list[str], per_firm: tuple[int, int],
              popularity: list[float]) -> list[dict]:
    requests = []
    for firm in firms:
        wanted = min(len(buyers), rng.randint(*per_firm))
        chosen: set[str] = set()
        while len(chosen) < wanted:
            chosen.add(rng.choices(buyers, popularity)[0])
        for buyer in sorted(chosen):
            requests.append({"buyer": buyer, "firm": firm, "priority": rng.choices([1, 2, 3, 4, 5], [5, 17, 33, 27, 18])[0]})
    return requests


def generate_plaza(buyers: int = 47, firms: int = 115, days: int = 1, tables: int | None = None,
                   interpreters: int | None = None, requests_per_firm: tuple[int, int] = (4, 7), seed: int = 0,
                   start_date: str = "2026-06-18", traits: frozenset[str] = frozenset()) -> dict:
    """A business plaza: 09:30-17:30 with lunch, 30-minute meetings, popular and unpopular buyers."""
    _known(traits, "plaza")
    rng, extra = random.Random(seed), _trait_rng(seed)
    if "two-days" in traits:
        days = max(days, 2)
    buyer_ids, firm_ids = _ids("B", buyers), _ids("F", firms)
    weights = [w for *_, w in _BUYER_ORIGINS]
    buyer_list = [_person(rng, b, rng.choices(_BUYER_ORIGINS, weights)[0]) for b in buyer_ids]
    for buyer in buyer_list:
        buyer.pop("timezone")  # on site
    popularity = [rng.lognormvariate(0, 0.6) for _ in buyer_ids]
    if "popular" in traits:
        popularity = _pareto(extra, len(buyer_ids))
    count = interpreters if interpreters is not None else max(3, buyers // 2)
    interpreter_list = [{"id": i, "name": f"{rng.choice(_KOREAN_NAMES)}", "languages": _INTERPRETER_LANGUAGES[n % len(_INTERPRETER_LANGUAGES)]}
                        for n, i in enumerate(_ids("I", count))]
    dates = _weekdays(start_date, days)
    data = {
        "event": {"name": f"Synthetic business plaza ({buyers} buyers, {firms} firms, seed {seed})", "kind": "plaza",
                  "timezone": "Asia/Seoul", "meeting_minutes": 30,
                  "days": [{"date": d.isoformat(), "open": "09:30", "close": "17:30",
                            "breaks": [{"start": "12:00", "end": "13:00", "label": "Lunch"}]} for d in dates]},
        "booths": {"count": tables or buyers, "prefix": "T"},
        "buyers": buyer_list,
        "firms": [_person(rng, f) for f in firm_ids],
        "interpreters": interpreter_list,
        "requests": _requests(rng, buyer_ids, firm_ids, requests_per_firm, popularity),
    }
    if "scarce-interpreters" in traits:
        data["interpreters"] = _interpreters_by_demand(extra, data, interpreters if interpreters is not None
                                                       else max(1, round(buyers * INTERPRETERS_PER_BUYER)))
    return _with_traits(extra, data, traits, halves=(("09:30", "12:00"), ("13:00", "17:30")))


def generate_teleconference(days: int = 5, booths: int = 15, requests_per_day: int = 80, seed: int = 0,
                            start_date: str = "2026-10-21", traits: frozenset[str] = frozenset()) -> dict:
    """The teleconference room: 15 booths on two floors, remote buyers in their own zones,
    KOTRA offices relaying Thai, Arabic and Mongolian."""
    _known(traits, "teleconference")
    rng, extra = random.Random(seed), _trait_rng(seed)
    buyers = max(10, requests_per_day * days // 6)
    firms = max(10, requests_per_day * days // 6)
    buyer_ids, firm_ids = _ids("B", buyers), _ids("F", firms)
    weights = [w for *_, w in _BUYER_ORIGINS]
    buyer_list = [_person(rng, b, rng.choices(_BUYER_ORIGINS, weights)[0]) for b in buyer_ids]
    dates = _weekdays(start_date, days)
    interpreters = []
    for n, languages in enumerate([["ko", "en"], ["ko", "en"], ["ko", "en"], ["ko", "zh"], ["ko", "zh"], ["ko", "ja"],
                                   ["ko", "vi"], ["ko", "es", "en"], ["ko", "ru"], ["ko", "en", "zh"]]):
        shift = ("07:00", "15:00") if n % 2 == 0 else ("14:00", "22:00")
        interpreters.append({"id": f"I{n + 1:02d}", "name": _KOREAN_NAMES[n % len(_KOREAN_NAMES)], "languages": languages,
                             "max_meetings": 7, "available": [{"date": d.isoformat(), "start": shift[0], "end": shift[1]}
                                                              for d in dates]})
    for city, zone, language in [("Bangkok", "Asia/Bangkok", "th"), ("Dubai", "Asia/Dubai", "ar"),
                                 ("Ulaanbaatar", "Asia/Ulaanbaatar", "mn"), ("Jakarta", "Asia/Jakarta", "id")]:
        interpreters.append({"id": f"KOTRA-{city[:3].upper()}", "name": f"KOTRA {city} office", "languages": ["en", language],
                             "remote": True, "timezone": zone, "max_meetings": 6})
    popularity = [rng.lognormvariate(0, 0.4) for _ in buyer_ids]
    if "popular" in traits:
        popularity = _pareto(extra, len(buyer_ids))
    requests = _requests(rng, buyer_ids, firm_ids, (max(1, requests_per_day * days // firms - 1),
                                                     requests_per_day * days // firms + 1), popularity)
    for request in requests:
        if rng.random() < 0.08:
            request["slots"] = 2
    if "remote-windows" in traits:
        for buyer in buyer_list:
            if extra.random() < REMOTE_WINDOWS_SHARE:  # office hours in its own zone, some in Seoul's night
                buyer["available"] = [{"date": d.isoformat(), "start": "09:00", "end": "18:00"} for d in dates]
    data = {
        "event": {"name": f"Synthetic teleconference room ({days} days, seed {seed})", "kind": "teleconference",
                  "timezone": "Asia/Seoul", "meeting_minutes": 60, "remote_hours": {"start": "08:00", "end": "19:00"},
                  "days": [{"date": d.isoformat(), "open": "07:00", "close": "22:00"} for d in dates]},
        "booths": [{"id": f"TC{n:02d}", "name": f"Booth {n}", "floor": 1 if n <= booths * 2 // 3 else 2}
                   for n in range(1, booths + 1)],
        "buyers": buyer_list,
        "firms": [_person(rng, f) for f in firm_ids],
        "interpreters": interpreters,
        "requests": requests,
    }
    return _with_traits(extra, data, traits, halves=(("07:00", "14:00"), ("15:00", "22:00")))


def _known(traits: frozenset[str], kind: str) -> None:
    unknown = sorted(set(traits) - set(TRAITS[kind]))
    if unknown:
        raise ValueError(f"{', '.join(unknown)}: not a trait of a {kind}")


def _pareto(rng: random.Random, count: int) -> list[float]:
    """Popularity with a Pareto tail (shape 1.16: a fifth of the buyers draw about four fifths of
    the wishes), the way a few famous buyers are wished for by most firms."""
    return [rng.paretovariate(1.16) for _ in range(count)]


def _interpreter_language(buyer: dict, firm: dict) -> str | None:
    """The buyer's language an interpreter is needed for, or None when the two share one."""
    if set(buyer["languages"]) & set(firm["languages"]):
        return None
    return "en" if "en" in buyer["languages"] else buyer["languages"][0]


def _interpreters_by_demand(rng: random.Random, data: dict, count: int) -> list[dict]:
    """``count`` interpreters, ko and a buyer language each, spread over the languages in
    proportion to the meetings that need them (largest remainders; every language needed has one
    while the count lasts); some of them also speak English."""
    buyers = {b["id"]: b for b in data["buyers"]}
    firms = {f["id"]: f for f in data["firms"]}
    demand: dict[str, int] = {}
    for request in data["requests"]:
        language = _interpreter_language(buyers[request["buyer"]], firms[request["firm"]])
        if language is not None:
            demand[language] = demand.get(language, 0) + 1
    ranked = sorted(demand, key=lambda code: (-demand[code], code))
    total = sum(demand.values()) or 1
    shares = {code: demand[code] * count / total for code in ranked}
    seats = {code: 1 if n < count else 0 for n, code in enumerate(ranked)}
    left = count - sum(seats.values())
    for code in sorted(ranked, key=lambda c: -(shares[c] - seats[c])):
        extra = max(0, min(left, int(shares[code]) - seats[code]))
        seats[code] += extra
        left -= extra
    for code in sorted(ranked, key=lambda c: -(shares[c] - int(shares[c]))):
        if left <= 0:
            break
        seats[code] += 1
        left -= 1
    interpreters = []
    ids = iter(_ids("I", count))
    for code in ranked:
        for _ in range(seats[code]):
            languages = ["ko", code] + (["en"] if code != "en" and rng.random() < 0.3 else [])
            interpreters.append({"id": next(ids), "name": rng.choice(_KOREAN_NAMES), "languages": languages})
    return interpreters


def _with_traits(rng: random.Random, data: dict, traits: frozenset[str], halves: tuple[tuple[str, str], ...]) -> dict:
    """Plaza and teleconference traits, applied in the order of :data:`TRAITS`."""
    dates = [day["date"] for day in data["event"]["days"]]
    requests = data["requests"]
    if "fixed-tables" in traits:
        tables = [b["id"] for b in _booth_list(data)]
        chosen = rng.sample(range(len(data["buyers"])), max(1, round(len(data["buyers"]) * FIXED_TABLE_SHARE)))
        for table, index in zip(rng.sample(tables, len(chosen)), sorted(chosen)):
            data["buyers"][index]["booth"] = table
    if "reservations" in traits:
        kept = {b.get("booth") for b in data["buyers"]}
        free = [b["id"] for b in _booth_list(data) if b["id"] not in kept]
        for booth, (start, end, label) in zip(rng.sample(free, min(2, len(free))),
                                              (("14:00", "16:00", "Online job fair"),
                                               ("10:00", "10:30", "Press interview"))):
            data.setdefault("reservations", []).append(
                {"booth": booth, "date": rng.choice(dates), "start": start, "end": end, "label": label})
    if "half-day" in traits:
        for person in data["firms"] + [i for i in data["interpreters"] if not i.get("remote")]:
            if rng.random() < HALF_DAY_SHARE:
                start, end = rng.choice(halves)
                person["available"] = [{"date": d, "start": start, "end": end} for d in dates]
    if "two-slot" in traits:
        for request in requests:
            if rng.random() < TWO_SLOT_SHARE:
                request["slots"] = 2
    people = {p["id"]: p for p in data["buyers"] + data["firms"]}
    if "interpreter-none" in traits:
        for request in requests:
            if rng.random() < NO_INTERPRETER_SHARE:
                request["interpreter"] = "none"
    if "named-interpreter" in traits:
        for request in requests:
            buyer, firm = people[request["buyer"]]["languages"], people[request["firm"]]["languages"]
            if request.get("interpreter") or set(buyer) & set(firm) or rng.random() >= NAMED_INTERPRETER_SHARE:
                continue
            able = [i["id"] for i in data["interpreters"] if bridges(i["languages"], firm, buyer)]
            if able:
                request["interpreter"] = rng.choice(able)
    if "required" in traits or "pinned" in traits:
        _required_and_pinned(rng, data, traits)
    return data


def _booth_list(data: dict) -> list[dict]:
    booths = data["booths"]
    if isinstance(booths, dict):
        width = max(2, len(str(booths["count"])))
        return [{"id": f"{booths['prefix']}{n:0{width}d}"} for n in range(1, booths["count"] + 1)]
    return booths


def _required_and_pinned(rng: random.Random, data: dict, traits: frozenset[str]) -> None:
    """Mark requests required and pin a few, only where they can take place, and pins apart from
    each other (nobody, and no interpreter, pinned twice at one time), so the event stays feasible."""
    from scheduler.model.load import event_from_data
    from scheduler.model.problem import compile_problem

    problem = compile_problem(event_from_data(copy.deepcopy(data)).event)
    possible = [task for task in problem.tasks if task.placement_count]
    busy: set[tuple[str, int]] = set()
    if "pinned" in traits:
        wanted = max(1, round(len(data["requests"]) * PINNED_SHARE))
        for task in rng.sample(possible, len(possible)):
            if wanted == 0:
                break
            choices = []
            for start, option in task.placements():
                span = range(start, start + task.length)
                who = [f"p{p}" for p in task.people] + [f"i{i}" for i in task.options[option]]
                if not any((w, s) in busy for w in who for s in span):
                    choices.append((start, who, span))
            if not choices:
                continue
            start, who, span = rng.choice(choices)
            busy.update((w, s) for w in who for s in span)
            slot = problem.grid.slots[start].start
            data["requests"][task.index]["pinned"] = {"start": f"{slot:%Y-%m-%dT%H:%M}"}
            wanted -= 1
    if "required" in traits:
        unpinned = [t for t in possible if "pinned" not in data["requests"][t.index]]
        for task in rng.sample(unpinned, min(len(unpinned), max(1, round(len(data["requests"]) * REQUIRED_SHARE)))):
            data["requests"][task.index]["required"] = True


def generate_brokerage(participants: int = 60, meetings: int = 200, slots: int = 16, tables: int = 20, seed: int = 0,
                       sessions: bool = True, forbidden: float = 0.05, fixed: float = 0.02,
                       traits: frozenset[str] = frozenset()) -> dict:
    """An any-to-any brokerage day of the paper's shape; every meeting required, feasible by
    construction (each emitted meeting was placed first; only the requests are written). When
    fewer than ``meetings`` could be placed, :func:`brokerage_shortfall` says so and why."""
    _known(traits, "brokerage")
    rng, extra = random.Random(seed), _trait_rng(seed)
    morning = slots // 2
    start, length, lunch = 9 * 60, 20, 60
    times = [start + length * t + (lunch if t >= morning else 0) for t in range(slots)]
    close = times[-1] + length
    ids = _ids("P", participants)
    allowed: dict[int, set[int]] = {}
    people = []
    for index, id_ in enumerate(ids):
        come = rng.choices(["both", "morning", "afternoon"], [2, 1, 1])[0] if sessions else "both"
        mine = set(range(slots)) if come == "both" else set(range(morning)) if come == "morning" else set(range(morning, slots))
        if rng.random() < forbidden and len(mine) > 2:
            mine.discard(rng.choice(sorted(mine)))
        if "unavailable-blocks" in traits and extra.random() < BLOCKED_SHARE:
            mine -= _unavailable_block(extra, sorted(mine))
        allowed[index] = mine
        windows = []
        for t in sorted(mine):
            begin, end = times[t], times[t] + length
            if windows and windows[-1][1] == begin:
                windows[-1][1] = end
            else:
                windows.append([begin, end])
        people.append({"id": id_, "name": f"{rng.choice(_GIVEN)} {rng.choice(_FAMILY)}",
                       "company": f"{rng.choice(_FAMILY)} {rng.choice(_GOODS)}", "languages": ["en"],
                       "available": [{"date": "2026-05-12", "start": _clock(a), "end": _clock(b)} for a, b in windows]})
    activity = [rng.lognormvariate(0, 0.5) for _ in ids]
    if "popular" in traits:
        activity = _pareto(extra, len(ids))
    busy: dict[int, set[int]] = {i: set() for i in range(participants)}
    used = [0] * slots
    pairs: set[tuple[int, int]] = set()
    requests = []
    attempts = 0
    while len(requests) < meetings and attempts < meetings * 60:
        attempts += 1
        a, b = rng.choices(range(participants), activity, k=2)
        key = (min(a, b), max(a, b))
        if a == b or key in pairs:
            continue
        free = [t for t in allowed[a] & allowed[b] if t not in busy[a] and t not in busy[b] and used[t] < tables]
        if not free:
            continue
        t = rng.choice(free)
        busy[a].add(t)
        busy[b].add(t)
        used[t] += 1
        pairs.add(key)
        request: dict = {"between": [ids[a], ids[b]], "required": True}
        if rng.random() < fixed:
            request["pinned"] = {"start": f"2026-05-12T{_clock(times[t])}"}
        elif sessions and rng.random() < 0.1:
            half = (0, morning) if t < morning else (morning, slots)
            request["available"] = [{"date": "2026-05-12", "start": _clock(times[half[0]]),
                                     "end": _clock(times[half[1] - 1] + length)}]
        requests.append(request)
        if "both-orders" in traits and extra.random() < BOTH_ORDERS_SHARE and len(requests) < meetings:
            # The other one asked too: a second meeting of the two, at another time (FORMAT.md).
            again = [u for u in allowed[a] & allowed[b] if u not in busy[a] and u not in busy[b] and used[u] < tables]
            if again:
                u = extra.choice(again)
                busy[a].add(u)
                busy[b].add(u)
                used[u] += 1
                requests.append({"between": [ids[b], ids[a]], "required": True})
    return {
        "event": {"name": f"Synthetic brokerage day ({participants} participants, {len(requests)} meetings, seed {seed})",
                  "kind": "brokerage", "timezone": "Europe/Madrid", "meeting_minutes": length,
                  "days": [{"date": "2026-05-12", "open": _clock(start), "close": _clock(close),
                            "breaks": [{"start": _clock(times[morning - 1] + length), "end": _clock(times[morning]),
                                        "label": "Lunch"}]}]},
        "booths": {"count": tables, "prefix": "M"},
        "participants": people,
        "requests": requests,
    }


def _unavailable_block(rng: random.Random, slots: list[int]) -> set[int]:
    """Slots a participant is away: arriving late, leaving early or stepping out in the middle of
    the day; at least two of its slots are kept."""
    if len(slots) <= 3:
        return set()
    size = rng.randint(1, max(1, min(len(slots) - 2, len(slots) // 3)))
    how = rng.choice(["late", "early", "middle"])
    if how == "late":
        return set(slots[:size])
    if how == "early":
        return set(slots[-size:])
    first = rng.randint(1, len(slots) - size - 1)
    return set(slots[first:first + size])


def brokerage_shortfall(data: dict, meetings: int, slots: int, tables: int) -> str | None:
    """What a generated brokerage day lacks against the meetings asked for, or None. The day
    holds at most tables x slots meetings, and half the participants' slots (two per meeting)."""
    made = len(data["requests"])
    if made >= meetings:
        return None
    length = data["event"]["meeting_minutes"]
    person_slots = sum((_minutes(w["end"]) - _minutes(w["start"])) // length
                       for person in data["participants"] for w in person["available"])
    if meetings > slots * tables:
        why = f"{slots} slots x {tables} tables hold at most {slots * tables}"
    elif 2 * meetings > person_slots:
        why = f"the participants are free {person_slots} slots in all, enough for at most {person_slots // 2}"
    else:
        why = "random placement found no common free slot for more pairs (not proven impossible)"
    return f"only {made} of the {meetings} meetings asked for could be placed: {why}"


def write_event(data: dict, path: str | Path, header: str = "") -> None:
    """Write the event as YAML with a comment header, atomically."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    text = "".join(f"# {line}\n" for line in header.splitlines()) + yaml.safe_dump(data, sort_keys=False,
                                                                                     allow_unicode=True, width=120)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    with os.fdopen(handle, "w", encoding="utf-8") as stream:
        stream.write(text)
    os.replace(temporary, path)
