"""D2L 5.4, pooling: the book's cells as data.

Where the texts come from and what ``expected`` holds: see :mod:`playground.book.cells`.
"""

from __future__ import annotations

import numpy as np

from playground.book.cells.cell import Cell, const_array, f32, join_cells
from playground.i18n import N_

_POOL2D = """\
def pool2d(X, pool_size, mode='max'):
    p_h, p_w = pool_size
    Y = tf.zeros((X.shape[0] - p_h + 1, X.shape[1] - p_w +1))
    Y = tf.Variable(Y)
    for i in range(Y.shape[0]):
        for j in range(Y.shape[1]):
            if mode == 'max':
                Y[i,j].assign(tf.reduce_max(X[i:i+p_h, j:j+p_w]))
            elif mode =='avg':
                Y[i,j].assign(tf.reduce_mean(X[i:i+p_h, j:j+p_w]))
    return Y

X = tf.constant([[0,1,2],[3,4,5],[6,7,8]],dtype=tf.float32)
pool2d(X, (2,2))"""

_X16 = """\
#tensorflow default data_format == 'channels_last'
#so (1,4,4,1) instead of (1,1,4,4)
X = tf.reshape(tf.constant(range(16)), (1,4,4,1))
X"""

_X16_OUT = """\
<tf.Tensor: id=112, shape=(1, 4, 4, 1), dtype=int32, numpy=
array([[[[ 0],
         [ 1],
         [ 2],
         [ 3]],

        [[ 4],
         [ 5],
         [ 6],
         [ 7]],

        [[ 8],
         [ 9],
         [10],
         [11]],

        [[12],
         [13],
         [14],
         [15]]]])>"""

_POOL_CHANNELS = """\
X = tf.stack([X, X+1], axis=3)
X = tf.reshape(X, (2,4,4,1))
X.shape

pool2d = tf.keras.layers.MaxPool2D(3, padding='same', strides=2)
pool2d(X)"""

_POOL_CHANNELS_OUT = """\
TensorShape([2, 4, 4, 1])

<tf.Tensor: id=120, shape=(2, 2, 2, 1), dtype=int32, numpy=
array([[[[ 5],
         [ 6]],

        [[ 7],
         [ 8]]],


       [[[13],
         [14]],

        [[15],
         [16]]]])>"""

_POOL_2X3 = """\
paddings = tf.constant([[0, 0], [0, 0], [1, 1], [0, 0]])
X_padded = tf.pad(X, paddings, "CONSTANT")
pool2d = tf.keras.layers.MaxPool2D(pool_size=[2, 3], padding='valid',
                                   strides=(2, 3))
pool2d(X_padded)"""

_POOL_2X3_OUT = """\
<tf.Tensor: shape=(1, 2, 2, 1), dtype=float32, numpy=
array([[[[ 5.],
         [ 7.]],

        [[13.],
         [15.]]]], dtype=float32)>"""

_POOL_CHANNELS_WORKING = """\
X = tf.concat([X, X+1], axis=3)  # two channels: shape (1, 4, 4, 2)
X.shape

pool2d = tf.keras.layers.MaxPool2D(3, padding='same', strides=2)
pool2d(X)"""

SECTION_5_4: dict[str, Cell] = {
    "pool2d_max": Cell(
        section="5.4",
        title=N_("Max pooling"),
        source=N_("D2L TF2 edition (Dive-into-DL-TensorFlow2.0), 5.4.1, In [2], In [3]"),
        explanation=N_(
            "A pooling window slides like a kernel but has no weights. Max pooling outputs "
            "the largest number in each window: on the 3x3 input a 2x2 window finds 4, 5, "
            "7 and 8."
        ),
        book_code=_POOL2D,
        book_output="""\
<tf.Variable 'Variable:0' shape=(2, 2) dtype=float32, numpy=
array([[4., 5.],
       [7., 8.]], dtype=float32)>""",
        expected=f32([[4, 5], [7, 8]]),
    ),
    "pool2d_avg": Cell(
        section="5.4",
        title=N_("Average pooling"),
        source=N_("D2L TF2 edition (Dive-into-DL-TensorFlow2.0), 5.4.1, In [4]"),
        explanation=N_(
            "Average pooling outputs the mean of each window instead: the top-left window "
            "gives (0 + 1 + 3 + 4) / 4 = 2."
        ),
        book_code="pool2d(X, (2,2), 'avg')",
        book_output="""\
<tf.Variable 'Variable:0' shape=(2, 2) dtype=float32, numpy=
array([[2., 3.],
       [5., 6.]], dtype=float32)>""",
        expected=f32([[2, 3], [5, 6]]),
    ),
    "maxpool_default": Cell(
        section="5.4",
        title=N_("Keras' MaxPool2D: the stride defaults to the window"),
        source=N_("D2L TF2 edition (Dive-into-DL-TensorFlow2.0), 5.4.2, In [5], In [6]"),
        explanation=N_(
            "Keras' MaxPool2D moves its window by the window's own size unless told "
            "otherwise. A 3x3 window then fits a 4x4 input only once, at the top left, and "
            "the largest number there is 10."
        ),
        book_code=join_cells(
            _X16, "pool2d = tf.keras.layers.MaxPool2D(pool_size=[3,3])\npool2d(X)"
        ),
        book_output=join_cells(
            _X16_OUT,
            "<tf.Tensor: id=113, shape=(1, 1, 1, 1), dtype=int32, numpy=array([[[[10]]]])>",
        ),
        expected=const_array([[[[10]]]], np.int32),
        note=N_(
            "The book's X is int32 (tf.constant(range(16))); Keras 3's MaxPool2D still "
            "takes integers and returns int32. The playground computes in float32, so its "
            "numbers print as 10. instead of 10."
        ),
    ),
    "maxpool_same_stride2": Cell(
        section="5.4",
        title=N_("Pooling with padding and stride"),
        source=N_("D2L TF2 edition (Dive-into-DL-TensorFlow2.0), 5.4.2, In [7]"),
        explanation=N_(
            "With padding='same' and stride 2 a 4x4 input gives ceil(4 / 2) = 2 rows and "
            "columns. TensorFlow adds the one row and column of padding this needs at the "
            "bottom and right only, and padding never wins a max: the four windows give "
            "10, 11, 14 and 15."
        ),
        book_code="""\
#i guess no custom padding settings in keras.layers?
pool2d = tf.keras.layers.MaxPool2D(pool_size=[3,3],padding='same',strides=2)
pool2d(X)""",
        book_output="""\
<tf.Tensor: id=114, shape=(1, 2, 2, 1), dtype=int32, numpy=
array([[[[10],
         [11]],

        [[14],
         [15]]]])>""",
        expected=const_array([[[[10], [11]], [[14], [15]]]], np.int32),
        note=N_(
            "The MXNet edition pads one cell on every side (padding=1) and gets "
            "[[5, 7], [13, 15]]; TensorFlow's 'same' puts its single padded row and column "
            "at the bottom and right, so the windows sit elsewhere."
        ),
    ),
    "maxpool_2x3": Cell(
        section="5.4",
        title=N_("A rectangular window"),
        source=N_(
            "D2L 2nd edition (d2l.ai), 'Pooling', TensorFlow version; the TF2 edition has "
            "no such cell"
        ),
        explanation=N_(
            "Window, padding and stride can differ between height and width. A 2x3 window "
            "with strides (2, 3) on the input padded with one column of zeros at each side "
            "finds 5, 7, 13 and 15. Here padding='same' adds exactly that column on each "
            "side, so it gives the same."
        ),
        book_code=_POOL_2X3,
        book_output=_POOL_2X3_OUT,
        expected=f32([[[[5], [7]], [[13], [15]]]]),
    ),
    "pool_channels": Cell(
        section="5.4",
        title=N_("Pooling keeps the channels"),
        source=N_("D2L TF2 edition (Dive-into-DL-TensorFlow2.0), 5.4.3, In [8], In [9]"),
        explanation=N_(
            "Pooling works on each channel by itself: unlike a convolution it does not add "
            "channels together, so two channels in give two channels out. The TF2 "
            "edition's cell, though, does not build two channels (see the note); its "
            "printed numbers are reproduced, and the working form pools real channels."
        ),
        book_code=_POOL_CHANNELS,
        book_output=_POOL_CHANNELS_OUT,
        expected=const_array([[[[5], [6]], [[7], [8]]], [[[13], [14]], [[15], [16]]]], np.int32),
        note=N_(
            "The cell stacks X and X + 1 on a new axis and reshapes the result to "
            "(2, 4, 4, 1): the reshape interleaves the two images' pixels into two batch "
            "items of one channel each, so [[5, 6], [7, 8]] and [[13, 14], [15, 16]] are "
            "not the pooled channels. tf.concat([X, X+1], axis=3) makes a (1, 4, 4, 2) "
            "input, and pooling keeps its channels: [[10, 11], [14, 15]] and "
            "[[11, 12], [15, 16]]."
        ),
        working_code=_POOL_CHANNELS_WORKING,
    ),
}
