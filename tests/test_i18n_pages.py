"""The pages in Chinese and in English, chosen by ?lang= and kept by the session (AppTest)."""

from __future__ import annotations

import json

import pytest
import streamlit as st

from tests.page_harness import page_app


@pytest.fixture(autouse=True)
def fresh_caches():
    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_data.clear()
    st.cache_resource.clear()


def _texts(at) -> str:
    parts = [
        e.value
        for kind in ("title", "header", "subheader", "markdown", "caption")
        for e in getattr(at, kind)
    ]
    return "\n".join(str(p) for p in parts)


def _figure_text(at) -> str:
    """The Plotly figure's JSON with its text readable (the spec escapes non-ASCII)."""
    spec = next(iter(at.get("plotly_chart"))).proto.spec
    return json.dumps(json.loads(spec), ensure_ascii=False)


def test_lessons_in_chinese():
    """?lang=zh: title, tabs, badges, the summary, a lesson's prose and its check are Chinese."""
    at = page_app("lessons", query={"lang": "zh"}).run()
    assert not at.exception
    assert at.title[0].value == "课程：逐个单元格读书"
    assert at.radio(key="lang").value == "zh"
    assert at.button(key="run_tf").label == "运行 TensorFlow 单元格"
    texts = _texts(at)
    assert "个单元格中有" in texts and "与书中一致" in texts
    assert "二维互相关运算让卷积核 K 在输入 X 上滑动" in texts
    assert "**书中的代码**" in texts
    assert any("完全相等" in s.value for s in at.success)
    assert [t.label for t in at.tabs] == ["5.1 二维卷积", "5.2 填充和步幅", "5.3 通道", "5.4 池化"]


def test_lessons_in_english():
    """?lang=en: the same page reads in English."""
    at = page_app("lessons", query={"lang": "en"}).run()
    assert at.title[0].value == "Lessons: the book, cell by cell"
    assert at.button(key="run_tf").label == "Run the TensorFlow cells"
    texts = _texts(at)
    assert "cells match the book" in texts
    assert "A 2D cross-correlation slides the kernel K" in texts
    assert not any("\u4e00" <= ch <= "\u9fff" for s in at.success for ch in s.value)


def test_no_lang_and_no_browser_language_means_english():
    """A link without lang, from a client that names no language, opens in English."""
    at = page_app("receptive_field").run()
    assert at.radio(key="lang").value == "en"
    assert at.title[0].value == "Receptive field"


def test_a_loose_language_tag_in_the_link_is_understood():
    """?lang=zh-CN opens in Chinese too."""
    at = page_app("receptive_field", query={"lang": "zh-CN"}).run()
    assert at.title[0].value == "感受野"


def test_an_unknown_language_in_the_link_falls_back_to_english():
    """?lang=fr is not an error: the page opens in English."""
    at = page_app("receptive_field", query={"lang": "fr"}).run()
    assert not at.exception
    assert at.title[0].value == "Receptive field"


def test_an_english_section_link_opens_its_tab_in_chinese():
    """A teacher's ?section=5.3 Channels link, opened with lang=zh, shows the 5.3 tab."""
    at = page_app("lessons", query={"lang": "zh", "section": "5.3 Channels"}).run()
    assert not at.exception
    assert any(h.value.startswith("5.3 多输入通道和多输出通道") for h in at.header)


def test_receptive_field_in_chinese():
    """Title, point, widget labels, headline, legend and the figure's map titles are Chinese."""
    at = page_app("receptive_field", query={"lang": "zh"}).run()
    assert not at.exception
    assert at.title[0].value == "感受野"
    assert at.slider(key="n").label == "输入大小（每边的元素数）"
    assert at.slider(key="layers").label == "层数"
    assert at.slider(key="k1").label == "卷积核"
    assert at.slider(key="s1").label == "步幅"
    assert at.radio(key="p1").label == "填充"
    assert at.number_input(key="row").label == "行"
    headline = at.subheader[0].value
    assert headline.startswith("第 2 层的输出元素") and "看到输入中 5×5 的区域" in headline
    texts = _texts(at)
    assert "**层越深，看到的输入越多。**" in texts
    assert "绿色：选中的输出元素" in texts
    figure = _figure_text(at)
    assert "第 1 层输出" in figure and "每个元素看到 3×3" in figure


def test_receptive_field_in_english():
    """?lang=en: the same labels in English."""
    at = page_app("receptive_field", query={"lang": "en"}).run()
    assert at.slider(key="n").label == "Input size (cells per side)"
    assert at.subheader[0].value.startswith("Output cell (row")
    assert "Layer 1 output" in _figure_text(at)


def test_switching_the_language_redraws_the_page():
    """Picking 简体中文 in the switch turns the page Chinese on the next run."""
    at = page_app("receptive_field").run()
    at.radio(key="lang").set_value("zh").run()
    assert at.title[0].value == "感受野"


def test_the_language_carries_across_a_page_switch():
    """A session opened with ?lang=zh on Lessons stays Chinese on Receptive field."""
    first = page_app("lessons", query={"lang": "zh"}).run()
    carried = {
        key: value
        for key, value in first.session_state.to_dict().items()
        if not key.startswith("$$") and key != "run_tf"
    }
    assert carried["lang"] == "zh"
    second = page_app("receptive_field")
    for key, value in carried.items():
        second.session_state[key] = value
    second.run()
    assert second.title[0].value == "感受野"
    assert second.radio(key="lang").value == "zh"


def test_explore_in_chinese():
    """?lang=zh on Explore: title, the shape line, the sidebar's labels and options are Chinese.

    Option values stay English (links carry them): only what a student reads changes.
    """
    at = page_app("explore", query={"lang": "zh"}).run()
    assert not at.exception
    assert at.title[0].value == "探索卷积"
    assert at.subheader[0].value == "输入 6×8 → 输出 6×7"
    assert [h.value for h in at.sidebar.header] == ["输入", "卷积核", "层"]
    source = at.radio(key="src")
    assert source.label == "输入" and source.value == "Sample"
    assert source.options == ["示例", "绘制", "上传", "输入数字"]
    kernel = at.selectbox(key="kernel")
    assert kernel.label == "卷积核"
    assert kernel.value == "Book's edge [1, -1]"  # the value a link carries stays English
    assert "自定义（你自己的数字）" in kernel.options
    assert at.selectbox(key="pad").label == "填充"
    assert at.slider(key="stride_h").label == "步幅（行）"
    assert at.number_input(key="bias").label == "偏差"
    assert at.radio(key="contrast").label == "对比度"
    assert "输出值从" in _texts(at)


def test_explore_in_english():
    """?lang=en: the same page and labels in English."""
    at = page_app("explore", query={"lang": "en"}).run()
    assert at.title[0].value == "Explore a convolution"
    assert at.subheader[0].value == "Input 6×8 → output 6×7"
    assert at.radio(key="src").options == ["Sample", "Draw", "Upload", "Type numbers"]
    assert at.selectbox(key="pad").label == "Padding"
    assert at.slider(key="stride_h").label == "Stride (rows)"


def test_a_chinese_session_keeps_english_kernel_links():
    """Picking a preset in Chinese writes its English title into the link.

    AppTest calls the widgets' format_func in the test's own thread, where no page set
    the language: ``using("zh")`` lets it find the Chinese options it is matching.
    """
    from playground.i18n import using

    at = page_app("explore", query={"lang": "zh"}).run()
    with using("zh"):
        at.selectbox(key="kernel").set_value("Laplacian").run()
    assert not at.exception
    assert at.query_params["kernel"] in ("Laplacian", ["Laplacian"])


def test_the_guards_sentence_in_both_languages():
    """Tests recognise the guard's sentence whichever language the page reads."""
    from views.common import FALLBACK_ERROR, fallback_errors

    errors = fallback_errors()
    assert FALLBACK_ERROR in errors
    assert any("出了问题" in sentence for sentence in errors)


def test_the_app_frame_in_chinese():
    """streamlit_app.py with ?lang=zh: the default page (Explore) opens in Chinese."""
    from streamlit.testing.v1 import AppTest

    from tests.page_harness import ROOT

    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=30)
    at.query_params["lang"] = "zh"
    at.run()
    assert not at.exception
    assert at.title[0].value == "探索卷积"


def test_sliding_window_in_chinese():
    """?lang=zh on Sliding window: title, step buttons, the step's sentences are Chinese."""
    at = page_app("window", query={"lang": "zh"}).run()
    assert not at.exception
    assert at.title[0].value == "滑动窗口"
    assert [at.button(key=k).label for k in ("win_first", "win_prev", "win_next", "win_last")] == [
        "第一步",
        "上一步",
        "下一步",
        "最后一步",
    ]
    texts = _texts(at)
    assert "第 1 步，共 4 步" in texts
    assert "输出第 0 行，第 0 列" in texts
    assert at.radio(key="src").value == "Type numbers"  # the link's value stays English


def test_sliding_window_in_english():
    at = page_app("window", query={"lang": "en"}).run()
    assert at.title[0].value == "The sliding window"
    assert at.button(key="win_next").label == "Next"
    assert "Step 1 of 4" in _texts(at)


def test_learn_in_chinese():
    """?lang=zh on Learn a kernel, before training: title, settings and status are Chinese."""
    at = page_app("learn", query={"lang": "zh"}).run()
    assert not at.exception
    assert at.title[0].value == "学习卷积核"
    assert [h.value for h in at.sidebar.header][-2:] == ["问题", "训练"]
    assert at.radio(key="problem").label == "学习什么"
    assert at.radio(key="problem").options == ["书中的例子", "你自己的", "彩色转灰度（1×1）"]
    assert at.radio(key="problem").value == "book"
    assert at.select_slider(key="lr").label == "学习率"
    assert at.radio(key="optimizer").label == "优化器"
    assert at.button(key="train").label == "训练"
    assert at.button(key="learn_step").label == "单步"
    texts = _texts(at)
    assert "尚未开始" in texts
    assert "第一步之后，模型的输出会出现在这里。" in texts


def test_learn_in_english():
    at = page_app("learn", query={"lang": "en"}).run()
    assert at.title[0].value == "Learn a kernel"
    assert at.button(key="train").label == "Train"
    assert "Not started" in _texts(at)


def test_a_diverged_run_is_explained_in_chinese():
    """The Diverged message stays English for programmers; the page shows it translated."""
    from playground.figures.run_sentences import job_sentence
    from playground.i18n import using
    from playground.learning.learn import StepConfig, _diverged, _problem

    config = StepConfig(lr=3.0, steps=10, optimizer="sgd", scale=1.0, use_bias=False, clipnorm=0)
    exc = _diverged(4, _problem("loss", __import__("numpy").array([float("inf")])), config)
    english = str(exc)
    assert english.startswith("Training diverged at step 4: the loss became infinite.")
    with using("zh"):
        shown = job_sentence(english)
    assert shown == "训练在第 4 步发散：损失变成了无穷大。请降低学习率（试试 0.3）或开启梯度裁剪。"
    assert job_sentence(english) == english  # English sessions read it as it is
    with using("zh"):
        assert job_sentence("Stopped after 7 steps.") == "在 7 步之后停止。"
        assert job_sentence("Something new.") == "Something new."


def test_an_image_error_is_shown_in_chinese():
    """ImageError's str() stays English; its sentence() is the reader's language."""
    from playground.i18n import using

    at = page_app("explore", query={"lang": "zh", "src": "Type numbers"}).run()
    with using("zh"):  # AppTest formats the radios' options in this thread
        at.text_area(key="matrix").set_value("1 2\n3").run()
    assert not at.exception
    assert any("第 2 行有 1 个数，而第 1 行有 2 个" in e.value for e in at.error)
    import playground

    try:
        playground.parse_matrix("1 x")
    except playground.ImageError as exc:
        assert str(exc).startswith('Row 1 has "x", which is not a number')
        with using("zh"):
            assert exc.sentence().startswith("第 1 行有“x”，它不是数")


def test_an_english_link_opens_its_choices_in_chinese():
    """Bound widgets keep their shown label in the link: an English link still opens them."""
    query = {"lang": "zh", "src": "Type numbers", "contrast": "Clip to the 1st–99th percentile"}
    at = page_app("explore", query=query).run()
    assert not at.exception
    assert at.radio(key="src").value == "Type numbers"
    assert at.radio(key="contrast").value == "clip"
    learn = page_app("learn", query={"lang": "zh", "problem": "Your own", "speed": "Full speed"})
    learn.run()
    assert learn.radio(key="problem").value == "own"
    assert learn.radio(key="speed").value == "fast"


def test_a_chinese_link_opens_in_english_too():
    """A link copied from a Chinese session (its labels Chinese) opens the same choices."""
    at = page_app("explore", query={"lang": "en", "src": "输入数字"}).run()
    assert at.radio(key="src").value == "Type numbers"


def test_pooling_in_chinese():
    """?lang=zh on Pooling: title, labels, the shape line and the book's examples are Chinese."""
    at = page_app("pooling", query={"lang": "zh"}).run()
    assert not at.exception
    assert at.title[0].value == "池化层"
    assert at.radio(key="pool_mode").label == "类型"
    assert at.radio(key="pool_mode").options == ["最大池化", "平均池化"]
    assert at.radio(key="pool_mode").value == "max"
    assert at.slider(key="pool_window").label == "窗口（行数和列数）"
    assert at.selectbox(key="pool_pad").label == "填充"
    assert at.subheader[0].value == "输入 3×3 → 最大池化 → 输出 2×2"
    texts = _texts(at)
    assert "输出形状：(2, 2)" in texts
    assert "✓ 与书中一致" in texts
    assert "为什么要池化？平移一个像素" in texts


def test_pooling_in_english():
    at = page_app("pooling", query={"lang": "en"}).run()
    assert at.title[0].value == "Pooling"
    assert at.subheader[0].value == "Input 3×3 → max pooling → output 2×2"
    assert "✓ matches the book" in _texts(at)


def test_channels_in_chinese():
    """?lang=zh on Channels: title, sidebar, the shapes sentence and the tabs are Chinese."""
    at = page_app("channels", query={"lang": "zh"}).run()
    assert not at.exception
    assert at.title[0].value == "通道"
    assert at.radio(key="ch_src").label == "输入"
    assert at.radio(key="ch_src").value == "Photo"
    assert at.slider(key="ch_outs").label == "输出通道数"
    texts = _texts(at)
    assert "卷积核张量 (kh, kw, C_in, C_out)" in texts
    assert "1×1 卷积层：混合每个像素的各个通道" in texts
    assert [t.label for t in at.tabs][:1] == ["输出通道 1"]


def test_channels_in_english():
    at = page_app("channels", query={"lang": "en"}).run()
    assert at.title[0].value == "Channels"
    assert "kernel tensor (kh, kw, C_in, C_out)" in _texts(at)


def test_a_channels_typing_error_is_shown_in_chinese():
    """A typed channel's ImageError is wrapped with its channel's name, translated as a whole."""
    from playground.i18n import using
    from playground.images.rgb import parse_channels

    try:
        parse_channels(["1 2\n3", "1"], names=("1", "2"))
    except ValueError as exc:
        assert str(exc).startswith("Channel 1: Row 2 has 1 numbers but row 1 has 2")
        with using("zh"):
            assert exc.sentence() == (
                "通道 1：第 2 行有 1 个数，而第 1 行有 2 个；每一行的个数必须相同。"
            )
        assert exc.sentence() == str(exc)
    else:
        raise AssertionError("a ragged channel must be refused")
