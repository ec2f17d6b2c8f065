"""The made-up values the benchmark data sets draw from: first names and surnames (a few
common, most not, as in a real town), streets, towns, rooms, start times and the odd need,
instruction or concern; and two helpers for the times of day the sessions are planned on.
Nothing here is anyone's real data."""

import datetime

from django.utils import timezone

FIRST_NAMES = [
    "Oliver", "George", "Harry", "Jack", "Noah", "Leo", "Arthur", "Muhammad", "Oscar", "Charlie",
    "Jacob", "Thomas", "Alfie", "Freddie", "James", "William", "Henry", "Joshua", "Ethan",
    "Daniel", "Liam", "Ryan", "Connor", "Kieran", "Darren", "Wayne", "Lee", "Craig", "Mark",
    "Olivia", "Amelia", "Isla", "Ava", "Mia", "Ivy", "Lily", "Isabella", "Sophia", "Grace",
    "Freya", "Emily", "Poppy", "Ella", "Evie", "Chloe", "Jessica", "Sarah", "Emma", "Hannah",
    "Rebecca", "Laura", "Gemma", "Kirsty", "Nicola", "Leanne", "Aisha", "Priya", "Zara", "Maryam",
]  # fmt: skip
SURNAMES = [
    "Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Patel",
    "Robinson", "Wright", "Thompson", "Evans", "Walker", "White", "Roberts", "Green", "Hall",
    "Thomas", "Clarke", "Jackson", "Wood", "Harris", "Edwards", "Turner", "Martin", "Cooper",
    "Hill", "Ward", "Hughes", "Moore", "Clark", "King", "Harrison", "Lewis", "Baker", "Lee",
    "Allen", "Morris", "Khan", "Scott", "Watson", "Davis", "Parker", "James", "Bennett", "Young",
    "Phillips", "Richardson", "Mitchell", "Bailey", "Carter", "Cook", "Singh", "Shaw", "Bell",
    "Collins", "Morgan", "Kelly", "Begum", "Miller", "Cox", "Marshall", "Simpson", "Anderson",
    "Ellis", "Adams", "Wilkinson", "Ali", "Ahmed", "Foster", "Chapman", "Russell", "Graham",
    "Lloyd", "Murray", "Mason", "Webb", "Rogers", "Gray", "Hunt", "Holmes", "Mills", "Owen",
    "Palmer", "Matthews", "Thomson", "Fisher", "Barnes", "Knight", "Harvey", "Barker", "Butler",
    "Jenkins", "Stevens", "Pearson", "Dixon", "Fletcher", "Hussain", "Howard", "Gibson", "Fox",
    "Kaur", "Nowak", "Okafor",
]  # fmt: skip
# Zipf-like: a few surnames are common, most are not, as in a real town.
SURNAME_WEIGHTS = [1 / (rank + 4) for rank in range(len(SURNAMES))]
STREETS = [
    "High Street", "Station Road", "Church Lane", "Victoria Road", "Mill Lane", "Park Avenue",
    "The Crescent", "Queens Road", "Orchard Close", "Manor Way", "Albert Street", "Kings Drive",
    "Meadow View", "Oak Tree Road",
]  # fmt: skip
TOWNS = [
    "Chichester", "Bognor Regis", "Worthing", "Chesterfield", "Dronfield", "Matlock", "Bolsover",
    "Staveley", "Littlehampton", "Midhurst", "Clay Cross", "Selsey",
]  # fmt: skip
ROOMS = [("Blue room", 1), ("Green room", 1), ("Garden room", 2), ("Hall", 20), ("Quiet room", 1)]
STARTS = [datetime.time(10, 0), datetime.time(11, 0), datetime.time(13, 30), datetime.time(15, 0)]
NEEDS = ["Nut allergy.", "Uses a wheelchair.", "Speaks Polish at home.", "Asthma inhaler."]
INSTRUCTIONS = ["", "", "", "", "", "", "", "", "", "Father brings the football; no photographs."]
CONCERN_TEXTS = [
    "Child said the resident parent was followed after the last handover.",
    "Non-resident parent arrived early and waited outside the entrance.",
    "Volunteer asks how to answer questions about the other parent's new address.",
]


def aware(day: datetime.date, at: datetime.time) -> datetime.datetime:
    return datetime.datetime.combine(day, at, tzinfo=timezone.get_default_timezone())


def add_minutes(t: datetime.time, minutes: int) -> datetime.time:
    total = t.hour * 60 + t.minute + minutes
    return datetime.time(total // 60, total % 60)
