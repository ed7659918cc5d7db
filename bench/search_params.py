#!/usr/bin/env python3
"""Writes the bench's query parameters twice: a CSV for PostgreSQL's bench_params table and a
Lua list of the same searches as griha URLs, so both sides answer exactly the same mix."""
import csv
import sys

csv_path, lua_path = sys.argv[1:3]
cities = {r["city_id"]: r for r in csv.DictReader(open("gazetteer/cities.csv"))}
localities = sorted(csv.DictReader(open("gazetteer/localities.csv")),
                    key=lambda r: -int(r["popularity"]))[:40]
facets = "facets=bhk,property_type,furnishing"
urls = []
with open(csv_path, "w", newline="") as out:
    w = csv.writer(out)
    for n, loc in enumerate(localities, start=1):
        city = cities[loc["city_id"]]
        # A 2 BHK of ~850 sq ft at the locality's level, give or take 40%.
        mid = 850 * int(city["sale_price_per_sqft"]) * float(loc["price_factor"])
        lo, hi = int(mid * 0.6), int(mid * 1.4)
        w.writerow([n, loc["city_id"], loc["locality_id"], loc["lat"], loc["lng"], lo, hi])
        c, l = loc["city_id"], loc["locality_id"]
        urls += [
            f"/api/v1/search?city={c}&locality={l}&bhk=2&transaction=sale_resale"
            f"&price_min={lo}&price_max={hi}&sort=price_asc&{facets}",
            f"/api/v1/search?city={c}&transaction=rent&sort=newest&{facets}",
            f"/api/v1/search?lat={loc['lat']}&lng={loc['lng']}&radius_m=3000&bhk=2,3"
            f"&sort=distance&{facets}",
            f"/api/v1/search?city={c}&amenities=gym,swimming_pool,lift&bhk=2,3&sort=newest&{facets}",
        ]
with open(lua_path, "w") as out:
    out.write("urls = {\n" + "".join(f'  "{u}",\n' for u in urls) + "}\n")
