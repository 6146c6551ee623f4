from newsdesk.articles.reading import reading_minutes, reading_time_label


def test_latin_words_at_200_a_minute():
    assert reading_minutes("word " * 400) == 2


def test_short_text_is_less_than_a_minute():
    assert reading_time_label("Just a few words.") == "Less than 1 min read"


def test_chinese_is_counted_by_character_not_as_one_word():
    text = "市议会今天批准了新的电车线路计划" * 60  # 960 characters, no spaces
    assert reading_minutes(text) > 2
    assert reading_time_label(text) == "2 min read"


def test_japanese_mixed_with_latin_counts_both():
    text = "東京の新しい路線 Tokyo " * 100
    assert reading_minutes(text) == 100 / 200 + 800 / 450  # 8 characters, 1 word, 100 times


def test_cyrillic_and_arabic_words_count_as_words():
    assert reading_minutes("слово " * 200) == 1
    assert reading_minutes("كلمة " * 200) == 1


def test_devanagari_words_with_vowel_signs_count_once():
    assert reading_minutes("नमस्ते " * 200) == 1


def test_punctuation_alone_is_not_a_word():
    assert reading_minutes("— … — !!") == 0
