"""D2L 5.3, multiple input and output channels: the book's cells as data.

Where the texts come from and what ``expected`` holds: see :mod:`playground.book.cells`.
"""

from __future__ import annotations

from playground.book.cells.cell import Cell, f32
from playground.i18n import N_

_MULTI_IN = """\
def corr2d_multi_in(X, K):
    return tf.reduce_sum([corr2d(X[i], K[i]) for i in range(X.shape[0])],axis=0)

X = tf.constant([[[0,1,2],[3,4,5],[6,7,8]],
                 [[1,2,3],[4,5,6],[7,8,9]]])
K = tf.constant([[[0,1],[2,3]],
                 [[1,2],[3,4]]])

corr2d_multi_in(X, K)"""

_MULTI_IN_OUT = """\
def corr2d_multi_in_out(X, K):
    return tf.stack([corr2d_multi_in(X, k) for k in K],axis=0)

K = tf.stack([K, K+1, K+2],axis=0)
K.shape

corr2d_multi_in_out(X, K)"""

_CONV_1X1 = """\
def corr2d_multi_in_out_1x1(X, K):
    c_i, h, w = X.shape
    c_o = K.shape[0]
    X = tf.reshape(X,(c_i, h * w))
    K = tf.reshape(K,(c_o, c_i))
    Y = tf.matmul(K, X)
    return tf.reshape(Y, (c_o, h, w))

X = tf.random.uniform((3,3,3))
K = tf.random.uniform((2,3,1,1))

Y1 = corr2d_multi_in_out_1x1(X, K)
Y2 = corr2d_multi_in_out(X, K)

tf.norm(Y1-Y2) < 1e-6"""

SECTION_5_3: dict[str, Cell] = {
    "multi_in": Cell(
        section="5.3",
        title=N_("Several input channels"),
        source=N_("D2L TF2 edition (Dive-into-DL-TensorFlow2.0), 5.3.1, In [3]"),
        explanation=N_(
            "A colour image has several channels, and a kernel for it has one 2D slice per "
            "input channel. Each channel is cross-correlated with its own slice and the "
            "results are added into one output map. The top-left value is "
            "(0*0 + 1*1 + 3*2 + 4*3) + (1*1 + 2*2 + 4*3 + 5*4) = 19 + 37 = 56."
        ),
        book_code=_MULTI_IN,
        book_output="""\
<tf.Tensor: id=145, shape=(2, 2), dtype=float32, numpy=
array([[ 56.,  72.],
       [104., 120.]], dtype=float32)>""",
        expected=f32([[56, 72], [104, 120]]),
        note=N_(
            "The book keeps channels first, (channels, height, width); Keras and the "
            "playground keep them last. The playground computes in its own layout and "
            "transposes back to compare."
        ),
    ),
    "multi_in_out": Cell(
        section="5.3",
        title=N_("Several output channels"),
        source=N_("D2L TF2 edition (Dive-into-DL-TensorFlow2.0), 5.3.2, In [4], In [5], In [6]"),
        explanation=N_(
            "For several output channels, stack one multi-input kernel per output channel: "
            "K, K + 1 and K + 2 make a kernel of shape (3, 2, 2, 2), that is (out, in, "
            "height, width). Each output channel is a whole multi-input cross-correlation "
            "with its own kernel, so the output has 3 channels; the first is the previous "
            "lesson's result."
        ),
        book_code=_MULTI_IN_OUT,
        book_output="""\
TensorShape([3, 2, 2, 2])

<tf.Tensor: id=592, shape=(3, 2, 2), dtype=float32, numpy=
array([[[ 56.,  72.],
        [104., 120.]],

       [[ 76., 100.],
        [148., 172.]],

       [[ 96., 128.],
        [192., 224.]]], dtype=float32)>""",
        expected=f32([[[56, 72], [104, 120]], [[76, 100], [148, 172]], [[96, 128], [192, 224]]]),
    ),
    "conv_1x1": Cell(
        section="5.3",
        title=N_("A 1x1 convolution is a matrix product"),
        source=N_("D2L TF2 edition (Dive-into-DL-TensorFlow2.0), 5.3.3, In [7], In [8]"),
        explanation=N_(
            "A 1x1 kernel looks at one pixel at a time, so it only mixes channels: each "
            "output pixel is a weighted sum of that pixel's input channels. That is the "
            "matrix product of the (c_o, c_i) weights with the (c_i, h*w) pixels. The book "
            "checks on random numbers that both ways agree to within 1e-6."
        ),
        book_code=_CONV_1X1,
        book_output="<tf.Tensor: id=1392, shape=(), dtype=bool, numpy=True>",
        expected=True,
    ),
}
