"""D2L 5.2, padding and stride: the book's cells as data.

Where the texts come from and what ``expected`` holds: see :mod:`playground.book.cells`.
"""

from __future__ import annotations

from playground.book.cells.cell import Cell, join_cells
from playground.i18n import N_

_IN24 = """\
# 创建一个高和宽为3的二维卷积层，然后设输入高和宽两侧的填充数分别为1
def comp_conv2d(conv2d, X):
    X = tf.reshape(X,(1,) + X.shape + (1,))
    Y = conv2d(X)
    #input_shape = (samples, rows, cols, channels)
    return tf.reshape(Y,Y.shape[1:3])"""

_IN25 = """\
conv2d = tf.keras.layers.Conv2D(1, kernel_size=3, padding='same')"""

_IN28 = """\
# 给定一个高和宽为8的输入，我们发现输出的高和宽也是8。
X = tf.random.uniform(shape=(8,8))
comp_conv2d(conv2d,X).shape"""

_OUT28 = """\
TensorShape([8, 8])"""

_IN32 = """\
# 令高和宽上的步幅均为2，从而使输入的高和宽减半
conv2d = tf.keras.layers.Conv2D(1, kernel_size=3, padding='same',strides=2)
comp_conv2d(conv2d, X).shape"""

_OUT32 = """\
TensorShape([4, 4])"""

_IN33 = """\
conv2d = tf.keras.layers.Conv2D(1, kernel_size=(3,5), padding='valid', strides=(3,4))
comp_conv2d(conv2d, X).shape"""

_OUT33 = """\
TensorShape([2, 1])"""

_PADDING_MXNET = """\
conv2d = nn.Conv2D(1, kernel_size=(3, 5), padding=(0, 1), strides=(3, 4))
comp_conv2d(conv2d, X).shape"""

# Keras' Conv2D takes only 'valid' or 'same': pad the input, then use 'valid'
_PADDING_WORKING = """\
# Keras' Conv2D takes only 'valid' or 'same': pad the input, then use 'valid'
conv2d = tf.keras.layers.Conv2D(1, kernel_size=(3,5), padding='valid', strides=(3,4))
comp_conv2d(conv2d, tf.pad(X, [[0, 0], [1, 1]])).shape"""

SECTION_5_2: dict[str, Cell] = {
    "padding_same": Cell(
        section="5.2",
        title=N_("Padding 'same' keeps the size"),
        source=N_("D2L TF2 edition notes, 5.2, In [24], In [25], In [28]"),
        explanation=N_(
            "Padding adds rows and columns of zeros around the input before the kernel "
            "slides. With a 3x3 kernel, one zero on every side lets the kernel sit centred "
            "on every pixel, so an 8x8 input gives an 8x8 output; Keras calls this "
            "padding='same'. The book's formula floor((n - k + p + s) / s), with p the "
            "padding of both sides together, gives (8 - 3 + 2 + 1) / 1 = 8."
        ),
        book_code=join_cells(_IN24, _IN25, _IN28),
        book_output=_OUT28,
        expected=(8, 8),
    ),
    "stride_2": Cell(
        section="5.2",
        title=N_("Stride 2 halves the size"),
        source=N_("D2L TF2 edition notes, 5.2, In [32]"),
        explanation=N_(
            "The stride is how far the window moves at each step. With stride 2 it lands "
            "on every other position, so the 8x8 input gives a 4x4 output: "
            "floor((8 - 3 + 2 + 2) / 2) = 4."
        ),
        book_code=_IN32,
        book_output=_OUT32,
        expected=(4, 4),
    ),
    "stride_3_4": Cell(
        section="5.2",
        title=N_("A different kernel size and stride in each direction"),
        source=N_("D2L TF2 edition notes, 5.2, In [33]"),
        explanation=N_(
            "Height and width can each have their own kernel size and stride. A (3, 5) "
            "kernel with strides (3, 4) and no padding gives floor((8 - 3 + 0 + 3) / 3) = 2 "
            "rows and floor((8 - 5 + 0 + 4) / 4) = 1 column."
        ),
        book_code=_IN33,
        book_output=_OUT33,
        expected=(2, 1),
    ),
    "padding_explicit": Cell(
        section="5.2",
        title=N_("Padding (0, 1): one column on each side"),
        source=N_(
            "D2L 1st edition (MXNet), 5.2.2: the cell the TF2 edition replaced with "
            "padding='valid' (In [33])"
        ),
        explanation=N_(
            "The original book pads 0 rows and 1 column on each side, which gives "
            "floor((8 - 3 + 0 + 3) / 3) = 2 rows and floor((8 - 5 + 2 + 4) / 4) = 2 "
            "columns. Keras' Conv2D only knows padding='valid' or 'same', so the TensorFlow "
            "edition changed this cell to 'valid' and got (2, 1) instead. To pad exactly "
            "one column on each side in TensorFlow, pad the input with tf.pad and use "
            "'valid'."
        ),
        book_code=_PADDING_MXNET,
        book_output="(2, 2)",
        expected=(2, 2),
        note=N_(
            "This is MXNet code: TensorFlow's Conv2D cannot take padding=(0, 1). The "
            "working form pads X with tf.pad, one column of zeros on each side, and uses "
            "padding='valid'."
        ),
        working_code=_PADDING_WORKING,
    ),
}
