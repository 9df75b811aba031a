"""Near-duplicates and story clustering: MinHash, features, the online clusterer, the seeds."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from khabar.corpus.features import StoryFeatures, content_words
from khabar.corpus.minhash import NUM_PERM, band_keys, jaccard_estimate, minhash_signature, shingles
from khabar.corpus.stories import StoryClusterer, default_model
from khabar.document import Document
from khabar.pipeline import Pipeline


def test_minhash_is_stable_and_estimates_jaccard() -> None:
    words = ["the", "foreign", "minister", "of", "russia", "met", "his", "chinese", "counterpart", "in", "beijing", "on", "monday"]
    a = minhash_signature(shingles(words, 3))
    assert len(a) == NUM_PERM
    assert a == minhash_signature(shingles(words, 3))  # no per-process salt
    assert a[0] == 19464773407712081  # BLAKE2b and fixed coefficients: a change here changes every stored signature
    half = minhash_signature(shingles([*words[:7], "x", "y", "z", "w", "v", "u"], 3))
    other = minhash_signature(shingles(["prices", "of", "crude", "oil", "fell", "in", "asian", "trading", "on", "tuesday"], 3))
    assert jaccard_estimate(a, a) == 1.0
    assert 0.1 < jaccard_estimate(a, half) < 0.7
    assert jaccard_estimate(a, other) < 0.1
    assert band_keys(a) == band_keys(a) and len(band_keys(a)) == 16
    assert band_keys(minhash_signature([])) == []


def test_content_words_drop_function_words_and_the_arabic_article() -> None:
    assert content_words("قال الرئيس في الرياض إن 2015") == ["قال", "رئيس", "رياض"]
    assert "از" not in content_words("وزیر امور خارجه از تهران به مسکو رفت")


@pytest.fixture(scope="module")
def seed_features(seed_texts: dict[str, str]) -> dict[str, StoryFeatures]:
    pipeline = Pipeline()
    return {key: StoryFeatures.of(pipeline(Document(text=text))) for key, text in sorted(seed_texts.items())}


def test_the_seeds_are_three_stories(seed_features: dict[str, StoryFeatures]) -> None:
    """000/001/002 report Lavrov's visit to Beijing (Persian and Arabic); 003 the ASEAN meeting and
    004 the Moscow meeting of the same two ministers are other stories."""
    clusterer = StoryClusterer()
    story = {key: clusterer.add(f).story for key, f in seed_features.items()}
    assert story["000"] == story["001"] == story["002"]
    assert len({story["000"], story["003"], story["004"]}) == 3
    merged = clusterer.stories[story["000"]]
    assert set(merged.langs) == {"fa", "ar"} and len(merged.members) == 3


def test_the_seed_stories_do_not_depend_on_arrival_order(seed_features: dict[str, StoryFeatures]) -> None:
    from itertools import permutations

    for order in permutations(sorted(seed_features)):
        clusterer = StoryClusterer()
        story = {key: clusterer.add(seed_features[key]).story for key in order}
        groups = {frozenset(k for k in story if story[k] == s) for s in story.values()}
        assert groups == {frozenset({"000", "001", "002"}), frozenset({"003"}), frozenset({"004"})}, order


def test_a_copy_is_a_duplicate_and_joins_its_story(seed_features: dict[str, StoryFeatures]) -> None:
    clusterer = StoryClusterer()
    first = clusterer.add(seed_features["003"])
    copy = replace(seed_features["003"], doc_id="copy-of-003")
    second = clusterer.add(copy)
    assert second.duplicate_of == seed_features["003"].doc_id and second.story == first.story


def test_old_postings_leave_the_window(seed_features: dict[str, StoryFeatures]) -> None:
    """A copy arriving months later is neither a duplicate candidate nor offered the old story."""
    clusterer = StoryClusterer()
    clusterer.add(replace(seed_features["003"], day=date(2024, 7, 26)))
    later = clusterer.add(replace(seed_features["003"], doc_id="much-later", day=date(2024, 11, 1)))
    assert later.duplicate_of is None and later.probability is None


def test_the_shipped_model_is_well_formed() -> None:
    model = default_model()
    assert 0.0 < model.threshold < 1.0 and len(model.weights) == 9


def test_the_story_dates_what_an_article_leaves_undated(seed_texts: dict[str, str]) -> None:
    """Seed 000 has no publication date, so its "روز دوشنبه" (Monday) stays unresolved; seed 001
    dates the same visit to 8-9 April 2024, so the story gives 000's visit the Monday: 8 April."""
    from khabar.corpus.records import infer_from_story, story_records

    pipeline = Pipeline()
    docs = [pipeline(Document(text=seed_texts[key])) for key in ("000", "001", "002")]
    clusterer = StoryClusterer()
    assignments = clusterer.add_all(StoryFeatures.of(d) for d in docs)
    assert len({a.story for a in assignments}) == 1
    visit = next(e for e in docs[0].events if e["type"] == "VISIT")
    assert visit["when"]["value"] is None and visit["when"]["text"] == "روز دوشنبه"
    inferred = infer_from_story(docs[0], docs)
    visit = next(e for e in inferred.events if e["type"] == "VISIT")
    assert visit["when"]["value"] == "2024-04-08" and visit["when"]["source"] == "story"
    assert visit["when"]["support"] == [docs[1].id]
    record = story_records(docs, assignments)[0]
    assert record["languages"] == ["ar", "fa"] and len(record["members"]) == 3
    merged_visit = next(e for e in record["events"] if e["type"] == "VISIT" and "per:sergey-lavrov" in e["participants"])
    assert merged_visit["when"]["value"] == "2024-04-08/2024-04-09" and merged_visit["place"] == "city:beijing-cn"
    assert len({s["doc"] for s in merged_visit["sources"]}) == 3


@pytest.mark.parametrize(("mine", "theirs", "conflict"), [
    # the king's call with one president is not his call with another, even on the same day
    (["CALL|per:hollande,per:salman||2015-07-31"], ["CALL|per:salman,per:sisi||2015-07-31"], 1.0),
    # a report naming only the caller agrees with the full story
    (["CALL|per:salman||2015-07-31"], ["CALL|per:salman,per:sisi||2015-07-31"], 0.0),
    # one agreeing pair is enough, whatever else the leads hold
    (["CALL|per:hollande,per:salman||", "CALL|per:salman,per:sisi||"], ["CALL|per:salman,per:sisi||"], 0.0),
    # corpus-local ids are spellings, not people: they never make a clash
    (["MEET|local:per:AHMD,per:salman||"], ["MEET|local:per:AHMDLHRB,per:salman||"], 0.0),
    # other types or no person in common: no evidence either way
    (["VISIT|per:salman,per:sisi||"], ["CALL|per:salman,per:sisi||"], 0.0),
    (["CALL|per:hollande,per:obama||"], ["CALL|per:salman,per:sisi||"], 0.0),
    ([], ["CALL|per:salman,per:sisi||"], 0.0),
])
def test_headline_events_with_other_counterparts_clash(mine: list[str], theirs: list[str], conflict: float) -> None:
    from khabar.corpus.stories import _EventSignature, _lead_conflict

    assert _lead_conflict(mine, [_EventSignature.parse(e) for e in theirs]) == conflict


def test_lead_events_are_those_of_the_headline_or_first_paragraph(seed_features: dict[str, StoryFeatures]) -> None:
    lead = seed_features["000"].lead_events
    assert lead and set(lead) <= set(seed_features["000"].events)
    assert any(e.startswith("VISIT|") and "per:sergey-lavrov" in e for e in lead)


def test_an_undated_article_reads_its_relative_dates_against_the_story_date() -> None:
    """No date of its own, so "دیروز" (yesterday) has no value; its dated story members were
    published on 9 April 2024, so the article is dated by the story and yesterday is 8 April."""
    from khabar.corpus.records import infer_from_story
    from khabar.document import Published

    pipeline = Pipeline()
    dated = [replace(pipeline(Document(text=text)), published=Published("2024-04-09", "metadata", None))
             for text in ("لافروف يصل إلى بكين في زيارة رسمية ويلتقي وانغ يي.",
                          "سرگئی لاوروف برای دیدار با وانگ یی وارد پکن شد.")]
    undated = pipeline(Document(text="سرگئی لاوروف وزیر امور خارجه روسیه دیروز در پکن با وانگ یی دیدار کرد."))
    yesterday = next(t for t in undated.times if t["text"] == "دیروز")
    assert undated.published is None and yesterday["value"] is None
    inferred = infer_from_story(undated, [*dated, undated])
    assert inferred.published == Published("2024-04-09", "story", None)
    assert inferred.meta_value("published_story_support") == sorted(d.id for d in dated)
    yesterday = next(t for t in inferred.times if t["text"] == "دیروز")
    assert yesterday["value"] == "2024-04-08" and yesterday["source"] == "story"
    assert yesterday["support"] == sorted(d.id for d in dated)
    meeting = next(e for e in inferred.events if e["type"] == "MEET")
    assert meeting["when"]["value"] == "2024-04-08"
    for t in inferred.times:
        assert inferred.text[t["start"]:t["end"]] == t["text"]
