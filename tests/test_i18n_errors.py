"""Reasons a page shows for a setting with no output, in the reader's language (issue 17).

The exceptions keep English for programmers (``str(exc)``); a page shows
``error_sentence(exc)`` (or formats the exception into its sentence), which is
the translated sentence. Unit tests first, then the pages with ``?lang=zh``.
"""

from __future__ import annotations

import pytest
import streamlit as st

import playground
from playground import i18n
from playground.channels import mix_weights, stack_kernel
from playground.i18n import TranslatedError, error_sentence
from playground.images.export import grey_mapping_message, grey_mapping_note
from playground.pooling import pool_geometry
from playground.receptive import plan_stack
from playground.shapes import LayerSpec, output_shape
from tests.page_harness import page_app


def _raised(call) -> TranslatedError:
    with pytest.raises(TranslatedError) as info:
        call()
    return info.value


def test_a_kernel_larger_than_the_padded_input_is_english_in_str_and_chinese_shown():
    exc = _raised(lambda: output_shape((3, 3), (5, 5)))
    assert isinstance(exc, ValueError)  # callers catching ValueError keep working
    assert str(exc).startswith("Kernel (5, 5) is larger than the padded input (3, 3)")
    assert error_sentence(exc) == str(exc)  # an English session reads it as it is
    with i18n.using("zh"):
        shown = error_sentence(exc)
        assert shown == (
            "卷积核 (5, 5) 比填充后的输入 (3, 3) 还大（输入 (3, 3)，padding='valid'），"
            "输出将是空的。请增加填充（例如 padding='same'）或使用更小的卷积核。"
        )
        # a page's sentence that formats the exception reads in one language too
        assert f"{exc}" == shown
        assert str(exc).startswith("Kernel (5, 5)")  # str() stays English for programmers


def test_a_dilated_kernel_names_its_spread_in_chinese():
    exc = _raised(lambda: output_shape((4, 4), (3, 3), dilation_rate=(2, 1), padding=(0, 1)))
    assert "dilated by (2, 1) spans (5, 3)" in str(exc)
    with i18n.using("zh"):
        assert "以膨胀率 (2, 1) 展开后覆盖 (5, 3)" in error_sentence(exc)
        assert "更小的膨胀率" in error_sentence(exc)


def test_a_layer_of_a_stack_names_its_number_in_both_languages():
    exc = _raised(lambda: plan_stack(6, [LayerSpec(3)] * 3))
    assert str(exc).startswith("Layer 3: Kernel (3, 3) is larger than the padded input (2, 2)")
    with i18n.using("zh"):
        assert error_sentence(exc).startswith("第 3 层：卷积核 (3, 3) 比填充后的输入 (2, 2) 还大")


def test_a_pooling_window_that_fits_nowhere_in_chinese():
    exc = _raised(lambda: pool_geometry((3, 3), 5))
    assert str(exc).startswith("The pooling window 5×5 is larger than the padded input (3, 3)")
    with i18n.using("zh"):
        assert error_sentence(exc).startswith("池化窗口 5×5 比填充后的输入 (3, 3) 还大")


def test_the_channels_pages_layer_and_mix_reasons_in_chinese():
    sizes = _raised(lambda: stack_kernel([[[[1.0]]], [[[1.0], [2.0]]]]))
    grey = _raised(lambda: mix_weights("grey", 2))
    assert str(grey).startswith("The grey mix weighs red, green and blue")
    with i18n.using("zh"):
        assert error_sentence(sizes).startswith("每个输出通道的卷积核必须一样大")
        assert error_sentence(grey).startswith(
            "灰度混合按红、绿、蓝加权，所以需要 3 个通道；这个输入有 2 个"
        )


def test_an_image_error_is_a_translated_error():
    with pytest.raises(playground.ImageError) as info:
        playground.parse_matrix("")
    assert isinstance(info.value, TranslatedError)
    with i18n.using("zh"):
        assert error_sentence(info.value).startswith("矩阵是空的")


def test_other_errors_are_shown_as_they_are():
    """A plain ValueError (a programmer's mistake, not a student's) stays its own text."""
    with i18n.using("zh"):
        assert error_sentence(ValueError("strides must be at least 1")) == (
            "strides must be at least 1"
        )


def test_the_grey_mapping_note_is_english_in_the_png_and_chinese_on_the_page():
    values = [[0.0, 2.0]]
    assert grey_mapping_note(values, vmax=1) == (
        "black = 0.00, white = 1.00, linear, values beyond clipped"
    )
    with i18n.using("zh"):
        assert str(grey_mapping_message(values, vmax=1)) == (
            "黑 = 0.00，白 = 1.00，线性，超出范围的值被截断"
        )
        assert str(grey_mapping_message([[3.0, 3.0]])).startswith("中灰 = 3.00")
        assert grey_mapping_note(values) == "black = 0.00, white = 2.00, linear"


# ---------------------------------------------------------------- the pages, ?lang=zh


@pytest.fixture
def fresh_caches():
    st.cache_data.clear()
    yield
    st.cache_data.clear()


def _has_cjk(text: str) -> bool:
    return any(i18n.is_cjk(ch) for ch in text)


@pytest.mark.usefixtures("fresh_caches")
@pytest.mark.parametrize("page", ["explore", "window"])
def test_a_kernel_too_large_for_the_input_is_explained_in_chinese(page):
    """A 2x2 typed input and a 3x3 kernel ('valid'): the whole warning is Chinese."""
    query = {"lang": "zh", "src": "Type numbers", "matrix": "1 2\n3 4", "kernel": "Box blur 3x3"}
    at = page_app(page, query=query).run()
    assert not at.exception
    warnings = [w.value for w in at.warning]
    assert any(
        w.startswith("这个设置没有输出。卷积核 (3, 3) 比填充后的输入 (2, 2) 还大") for w in warnings
    ), warnings
    assert not any("larger than" in w for w in warnings)


@pytest.mark.usefixtures("fresh_caches")
def test_a_stack_with_no_output_is_explained_in_chinese():
    at = page_app("receptive_field", query={"lang": "zh", "n": "6", "layers": "3"}).run()
    assert not at.exception
    (warning,) = at.warning
    assert warning.value.startswith("这组层没有输出。第 3 层：卷积核 (3, 3)")
    assert "Kernel" not in warning.value


@pytest.mark.usefixtures("fresh_caches")
def test_a_pooling_window_larger_than_the_input_is_explained_in_chinese():
    at = page_app("pooling", query={"lang": "zh", "pool_window": "5"}).run()
    assert not at.exception
    warnings = [w.value for w in at.warning]
    assert any("池化窗口 5×5 比填充后的输入" in w for w in warnings), warnings
    assert all(_has_cjk(w) and "larger than" not in w for w in warnings)


@pytest.mark.usefixtures("fresh_caches")
def test_the_png_grey_levels_caption_is_chinese_on_explore():
    at = page_app("explore", query={"lang": "zh"}).run()
    assert not at.exception
    captions = [c.value for c in at.caption if c.value.startswith("PNG 灰度")]
    assert captions and all("线性" in c and "linear" not in c for c in captions), captions
