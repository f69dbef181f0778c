"""Hand-written place lists: aliases, UK regions, US state abbreviations, gazetteer traps."""

from __future__ import annotations

from ._lexicon import words_as_written

#: Place acronyms and short forms mapped to a canonical place name.
PLACE_ALIASES: dict[str, str] = {
    "us": "United States",
    "usa": "United States",
    "u.s": "United States",
    "u.s.a": "United States",
    "america": "United States",
    "united states of america": "United States",
    "uk": "United Kingdom",
    "u.k": "United Kingdom",
    "britain": "United Kingdom",
    "great britain": "United Kingdom",
    "uae": "United Arab Emirates",
    "d.c": "Washington, D.C.",
    "washington d.c": "Washington, D.C.",
    "nyc": "New York City",
    "kiev": "Kyiv",
}

#: UK and Irish counties, nations and regions (not in the city gazetteer).
UK_REGIONS = words_as_written(
    """Bedfordshire Berkshire Buckinghamshire Cambridgeshire Cheshire Cleveland
    Cornwall Cumbria Derbyshire Devon Dorset Durham Essex Gloucestershire Hampshire
    Herefordshire Hertfordshire Kent Lancashire Leicestershire Lincolnshire Merseyside
    Norfolk Northamptonshire Northumberland Northumbria Nottinghamshire Oxfordshire
    Rutland Shropshire Somerset Staffordshire Suffolk Surrey Sussex Warwickshire
    Wiltshire Worcestershire Yorkshire Humberside Teesside Tyneside Wearside
    England Scotland Wales Ulster Fife Lothian Strathclyde Tayside Grampian
    Dyfed Gwent Gwynedd Powys Clwyd Glamorgan Antrim Armagh Tyrone Fermanagh
    Londonderry Derry Galway Donegal Cork Limerick Wexford Wicklow"""
) | frozenset(
    [
        "West Midlands",
        "East Midlands",
        "West Yorkshire",
        "South Yorkshire",
        "North Yorkshire",
        "East Sussex",
        "West Sussex",
        "Greater London",
        "Greater Manchester",
        "Northern Ireland",
        "Isle of Wight",
        "Isle of Man",
        "Channel Islands",
        "Thames Valley",
        "South West",
        "North East",
        "North West",
        "Dumfries and Galloway",
        "Scottish Borders",
        "Middle East",
        "Gaza Strip",
        "West Bank",
        "Persian Gulf",
        "Balkans",
        "Caribbean",
        "Latin America",
    ]
)

#: City names in the gazetteer that are usually ordinary words or given names.
CITY_TRAPS = words_as_written(
    """Mobile Reading Split Nice Mary Independence Orange Of Most Police Sale Deal Hope
    Said Young Union Enterprise Paradise Spring Concord Temple Pearl Rose Grace Round
    Rock Ocean Sunrise Normal Gary Irving Tyler Eugene Marina Industry Commerce Bell
    Bath Wells Chester Kent Troy Jordan Lima Santa Victoria Aurora Florence Man Male Best
    Mission Opportunity Liberty Justice Clay Bay Lee"""
)


def _abbreviations(table: str) -> dict[str, str]:
    """``"Ohio: oh | New_York: ny n.y"`` -> ``{"oh": "Ohio", "ny": "New York", ...}``."""
    found: dict[str, str] = {}
    for entry in table.split("|"):
        name, _, short = entry.partition(":")
        found.update(dict.fromkeys(short.split(), name.strip().replace("_", " ")))
    return found


#: AP-style and postal abbreviations of US states, mapped to the state's name.
US_STATE_ABBREVIATIONS = _abbreviations(
    """
    Alabama: ala al | Arizona: ariz az | Arkansas: ark ar | California: calif ca |
    Colorado: colo co | Connecticut: conn ct | Delaware: del de | Florida: fla fl |
    Georgia: ga | Illinois: ill il | Indiana: ind in | Kansas: kan kans ks | Kentucky: ky |
    Louisiana: la | Maryland: md | Massachusetts: mass ma | Michigan: mich mi | Minnesota:
    minn mn | Mississippi: miss ms | Missouri: mo | Montana: mont mt | Nebraska: neb ne |
    Nevada: nev nv | New_Hampshire: n.h nh | New_Jersey: n.j nj | New_Mexico: n.m nm |
    New_York: n.y ny | North_Carolina: n.c nc | North_Dakota: n.d nd | Oklahoma: okla ok |
    Oregon: ore or | Pennsylvania: pa | Rhode_Island: r.i ri | South_Carolina: s.c sc |
    South_Dakota: s.d sd | Tennessee: tenn tn | Texas: tex tx | Vermont: vt | Virginia: va
    | Washington: wash wa | West_Virginia: w.va wv | Wisconsin: wis wi | Wyoming: wyo wy |
    Alaska: ak | Hawaii: hi | Iowa: ia | Idaho: id | Maine: me | Ohio: oh | Utah: ut |
    District_of_Columbia: d.c
    """
)
