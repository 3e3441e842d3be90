"""D2L 5.1, two-dimensional convolution: the book's cells as data.

Where the texts come from and what ``expected`` holds: see :mod:`playground.book.cells`.
"""

from __future__ import annotations

import numpy as np

from playground.book.cells.cell import Cell, f32, join_cells
from playground.i18n import N_

_IN4 = """\
import tensorflow as tf"""

_IN5 = """\
# 实现二维互相关
# 输入数组X与核数组K，并输出数组Y
def corr2d(X, K):
    h, w = K.shape
    Y = tf.Variable(tf.zeros((X.shape[0] - h + 1, X.shape[1] - w +1)))
    for i in range(Y.shape[0]):
        for j in range(Y.shape[1]):
            Y[i,j].assign(tf.cast(tf.reduce_sum(X[i:i+h, j:j+w] * K), dtype=tf.float32))
    return Y"""

_IN7 = """\
X = tf.constant([[0,1,2], [3,4,5], [6,7,8]])
K = tf.constant([[0,1], [2,3]])
corr2d(X, K)"""

_OUT7 = """\
<tf.Variable 'Variable:0' shape=(2, 2) dtype=float32, numpy=
array([[19., 25.],
       [37., 43.]], dtype=float32)>"""

_IN8 = """\
# 基于corr2d函数来实现一个自定义的二维卷积层
class Conv2D(tf.keras.layers.Layer):
    def __init__(self, units):
        super().__init__()
        self.units = units

    def build(self, kernel_size):
        self.w = self.add_weight(name='w',
                                shape=kernel_size,
                                initializer=tf.random_normal_initializer())
        self.b = self.add_weight(name='b',
                                shape=(1,),
                                initializer=tf.random_normal_initializer())
    def call(self, inputs):
        return corr2d(inputs, self.w) + self.b"""

_IN9 = """\
# 图像中物体边缘检测：检测图像中物体的边缘，即找到像素变化的位置。
X = tf.Variable(tf.ones((6,8)))
X[:, 2:6].assign(tf.zeros(X[:,2:6].shape))
X"""

_OUT9 = """\
<tf.Variable 'Variable:0' shape=(6, 8) dtype=float32, numpy=
array([[1., 1., 0., 0., 0., 0., 1., 1.],
       [1., 1., 0., 0., 0., 0., 1., 1.],
       [1., 1., 0., 0., 0., 0., 1., 1.],
       [1., 1., 0., 0., 0., 0., 1., 1.],
       [1., 1., 0., 0., 0., 0., 1., 1.],
       [1., 1., 0., 0., 0., 0., 1., 1.]], dtype=float32)>"""

_IN10 = """\
# 构造一个高和宽分别为1和2的卷积核K
K = tf.constant([[1,-1]], dtype = tf.float32)"""

_IN14 = """\
K.shape,K"""

_OUT14 = """\
(TensorShape([1, 2]),
 <tf.Tensor: shape=(1, 2), dtype=float32, numpy=array([[ 1., -1.]], dtype=float32)>)"""

_IN15 = """\
Y = corr2d(X, K)
Y"""

_OUT15 = """\
<tf.Variable 'Variable:0' shape=(6, 7) dtype=float32, numpy=
array([[ 0.,  1.,  0.,  0.,  0., -1.,  0.],
       [ 0.,  1.,  0.,  0.,  0., -1.,  0.],
       [ 0.,  1.,  0.,  0.,  0., -1.,  0.],
       [ 0.,  1.,  0.,  0.,  0., -1.,  0.],
       [ 0.,  1.,  0.,  0.,  0., -1.,  0.],
       [ 0.,  1.,  0.,  0.,  0., -1.,  0.]], dtype=float32)>"""

_IN16 = """\
# 通过数据学习核数组
# 二维卷积层使用4维输入输出，格式为(样本, 高, 宽, 通道)，这里批量大小（批量中的样本数）和通道数均为1
X = tf.reshape(X, (1,6,8,1))
Y = tf.reshape(Y, (1,6,7,1))
Y"""

_OUT16 = """\
<tf.Tensor: shape=(1, 6, 7, 1), dtype=float32, numpy=
array([[[[ 0.],
         [ 1.],
         [ 0.],
         [ 0.],
         [ 0.],
         [-1.],
         [ 0.]],

        [[ 0.],
         [ 1.],
         [ 0.],
         [ 0.],
         [ 0.],
         [-1.],
         [ 0.]],

        [[ 0.],
         [ 1.],
         [ 0.],
         [ 0.],
         [ 0.],
         [-1.],
         [ 0.]],

        [[ 0.],
         [ 1.],
         [ 0.],
         [ 0.],
         [ 0.],
         [-1.],
         [ 0.]],

        [[ 0.],
         [ 1.],
         [ 0.],
         [ 0.],
         [ 0.],
         [-1.],
         [ 0.]],

        [[ 0.],
         [ 1.],
         [ 0.],
         [ 0.],
         [ 0.],
         [-1.],
         [ 0.]]]], dtype=float32)>"""

_IN17 = """\
# 构造一个输出通道数为1（将在“多输入通道和多输出通道”一节介绍通道），核数组形状是(1, 2)的二维卷积层
conv2d = tf.keras.layers.Conv2D(1, (1,2))"""

_IN18 = """\
#input_shape = (samples, rows, cols, channels)
# Y = conv2d(X)
Y.shape"""

_OUT18 = """\
TensorShape([1, 6, 7, 1])"""

_IN22 = """\
Y_hat = conv2d(X)
for i in range(10):
    with tf.GradientTape(watch_accessed_variables=False) as g:
        g.watch(conv2d.weights[0])
        Y_hat = conv2d(X)
        l = (abs(Y_hat - Y)) ** 2
        dl = g.gradient(l, conv2d.weights[0])
        lr = 3e-2
        update = tf.multiply(lr, dl)
        updated_weights = conv2d.get_weights()
        updated_weights[0] = conv2d.weights[0] - update
        conv2d.set_weights(updated_weights)

        if (i + 1)% 2 == 0:
            print('batch %d, loss %.3f' % (i + 1, tf.reduce_sum(l)))"""

_OUT22 = """\
batch 2, loss 0.000
batch 4, loss 0.000
batch 6, loss 0.000
batch 8, loss 0.000
batch 10, loss 0.000"""

_IN23 = """\
tf.reshape(conv2d.get_weights()[0],(1,2))"""

_OUT23 = """\
<tf.Tensor: shape=(1, 2), dtype=float32, numpy=array([[ 0.9999567, -1.0000432]], dtype=float32)>"""

_TRANSPOSED = "corr2d(tf.transpose(X), K)"

_TRANSPOSED_OUT = """\
<tf.Variable 'Variable:0' shape=(8, 5) dtype=float32, numpy=
array([[0., 0., 0., 0., 0.],
       [0., 0., 0., 0., 0.],
       [0., 0., 0., 0., 0.],
       [0., 0., 0., 0., 0.],
       [0., 0., 0., 0., 0.],
       [0., 0., 0., 0., 0.],
       [0., 0., 0., 0., 0.],
       [0., 0., 0., 0., 0.]], dtype=float32)>"""

_LAYER_WORKING = """\
class Conv2D(tf.keras.layers.Layer):
    def __init__(self, kernel_size):
        super().__init__()
        self.kernel_size = kernel_size

    def build(self, input_shape):  # Keras passes the input's shape here
        self.w = self.add_weight(name='w',
                                 shape=self.kernel_size,
                                 initializer=tf.random_normal_initializer())
        self.b = self.add_weight(name='b',
                                 shape=(1,),
                                 initializer=tf.random_normal_initializer())

    def call(self, inputs):
        return corr2d(inputs, self.w) + self.b

layer = Conv2D((2, 2))
layer(tf.cast(X, tf.float32))  # the first call builds w (2, 2) and b (1,)
layer.set_weights([tf.cast(K, tf.float32), tf.zeros(1)])
layer(tf.cast(X, tf.float32))"""

_LOOP_WORKING = """\
conv2d = tf.keras.layers.Conv2D(1, (1,2))

Y_hat = conv2d(X)
for i in range(10):
    with tf.GradientTape(watch_accessed_variables=False) as g:
        # Keras 3: watch the tf.Variable inside the layer's keras.Variable
        g.watch(conv2d.kernel.value)
        Y_hat = conv2d(X)
        l = (abs(Y_hat - Y)) ** 2
    dl = g.gradient(l, conv2d.kernel.value)
    lr = 3e-2
    update = tf.multiply(lr, dl)
    updated_weights = conv2d.get_weights()
    updated_weights[0] = conv2d.kernel.value - update
    conv2d.set_weights(updated_weights)

    if (i + 1)% 2 == 0:
        print('batch %d, loss %.3f' % (i + 1, tf.reduce_sum(l)))"""

_BARS = f32([[1, 1, 0, 0, 0, 0, 1, 1]] * 6)

_EDGES = f32([[0, 1, 0, 0, 0, -1, 0]] * 6)

SECTION_5_1: dict[str, Cell] = {
    "corr2d": Cell(
        section="5.1",
        title=N_("Cross-correlation with the playground's corr2d"),
        source=N_("D2L TF2 edition notes, 5.1, In [4], In [5], In [7]"),
        explanation=N_(
            "A 2D cross-correlation slides the kernel K over the input X and, at each "
            "position, multiplies the overlapping numbers and adds them up. A 2x2 kernel "
            "fits in 2x2 positions of a 3x3 input, so the output is 2x2. The top-left value "
            "is 0*0 + 1*1 + 3*2 + 4*3 = 19. The playground's corr2d is the book's loop "
            "written with numpy."
        ),
        book_code=join_cells(_IN4, _IN5, _IN7),
        book_output=_OUT7,
        expected=f32([[19, 25], [37, 43]]),
    ),
    "corr2d_tf": Cell(
        section="5.1",
        title=N_("The book's TensorFlow corr2d, run as printed"),
        source=N_("D2L TF2 edition notes, 5.1, In [4], In [5], In [7]"),
        explanation=N_(
            "This is the book's own function: it fills a tf.Variable one cell at a time "
            "with assign. It runs unchanged on today's TensorFlow and Keras 3 and gives the "
            "same numbers. It is easy to read but slow, because every output cell is a "
            "separate TensorFlow call."
        ),
        book_code=join_cells(_IN4, _IN5, _IN7),
        book_output=_OUT7,
        expected=f32([[19, 25], [37, 43]]),
    ),
    "conv2d_layer": Cell(
        section="5.1",
        title=N_("A custom convolution layer"),
        source=N_(
            "D2L TF2 edition notes, 5.1, In [8]; it prints nothing, so the expected output "
            "is In [7]'s"
        ),
        explanation=N_(
            "A convolution layer is a cross-correlation plus a bias, with the kernel and "
            "the bias as weights it can learn. With its kernel set to K and its bias to 0, "
            "the layer must give exactly corr2d(X, K). The book's layer needs one change "
            "to build a kernel of the right size (see the note)."
        ),
        book_code=_IN8,
        book_output=_OUT7,
        expected=f32([[19, 25], [37, 43]]),
        note=N_(
            "As printed, build(self, kernel_size) never receives a kernel size: Keras (2 "
            "and 3 alike) calls build with the input's shape, so w takes the input's shape, "
            "(3, 3) here, and the output shrinks to 1x1. The working form takes the kernel "
            "size in __init__ (the book's unused units argument goes)."
        ),
        working_code=_LAYER_WORKING,
    ),
    "edge_image": Cell(
        section="5.1",
        title=N_("An image with two edges"),
        source=N_("D2L TF2 edition notes, 5.1, In [9]"),
        explanation=N_(
            "The book's test image is 6 pixels high and 8 wide: white (1) at the left and "
            "right, a black (0) band in columns 2 to 5. Between columns 1 and 2 the pixels "
            "change from 1 to 0, and between columns 5 and 6 from 0 back to 1: those are "
            "its two vertical edges."
        ),
        book_code=_IN9,
        book_output=_OUT9,
        expected=_BARS,
    ),
    "edge_kernel": Cell(
        section="5.1",
        title=N_("The edge kernel K = [1, -1]"),
        source=N_("D2L TF2 edition notes, 5.1, In [10], In [14]"),
        explanation=N_(
            "K is 1 pixel high and 2 wide. On two neighbouring pixels it computes left "
            "minus right: 0 where they are equal, not 0 where the brightness changes. "
            "Its shape (1, 2) fixes the output's shape: (6 - 1 + 1, 8 - 2 + 1) = (6, 7)."
        ),
        book_code=join_cells(_IN10, _IN14),
        book_output=_OUT14,
        expected=((1, 2), f32([[1, -1]])),
    ),
    "edge_detect": Cell(
        section="5.1",
        title=N_("Edge detection: Y = corr2d(X, K)"),
        source=N_("D2L TF2 edition notes, 5.1, In [15]"),
        explanation=N_(
            "Sliding K over X gives 1 where white turns to black (column 1) and -1 where "
            "black turns to white (column 5); everywhere else the two pixels are equal and "
            "the output is 0. Y has one column fewer than X: a kernel 2 wide fits in 7 "
            "places across 8 pixels."
        ),
        book_code=_IN15,
        book_output=_OUT15,
        expected=_EDGES,
    ),
    "edge_transposed": Cell(
        section="5.1",
        title=N_("K only sees vertical edges"),
        source=N_(
            "D2L 2nd edition (d2l.ai), 'Convolutions for Images', TensorFlow version; "
            "the TF2 notes have no such cell"
        ),
        explanation=N_(
            "Transposing X turns its vertical edges into horizontal ones. K compares left "
            "and right neighbours only, so on the transposed image every pair it sees is "
            "equal and the output is all zeros. In the same way the transposed kernel "
            "[[1], [-1]] gives zeros on the original X: it compares pixels above and below, "
            "and X only changes from left to right."
        ),
        book_code=_TRANSPOSED,
        book_output=_TRANSPOSED_OUT,
        expected=f32(np.zeros((8, 5))),
    ),
    "reshape_4d": Cell(
        section="5.1",
        title=N_("Batch and channel axes"),
        source=N_("D2L TF2 edition notes, 5.1, In [16], In [18]"),
        explanation=N_(
            "Keras layers work on 4D arrays shaped (samples, height, width, channels). "
            "The book reshapes the image to (1, 6, 8, 1) and the edge map to (1, 6, 7, 1): "
            "one sample with one channel. The numbers stay the same; only axes of length 1 "
            "are added around them."
        ),
        book_code=join_cells(_IN16, _IN18),
        book_output=join_cells(_OUT16, _OUT18),
        expected=f32(_EDGES.reshape(1, 6, 7, 1)),
    ),
    "learn_kernel": Cell(
        section="5.1",
        title=N_("Learning the kernel from X and Y"),
        source=N_("D2L TF2 edition notes, 5.1, In [17], In [22]"),
        explanation=N_(
            "Now the kernel is unknown: a Conv2D layer starts from random weights, measures "
            "the squared error between its output and Y, and moves each weight a little "
            "against its gradient. After 10 steps its kernel is close to [1, -1], the "
            "kernel that made Y. On Keras 3 the book's loop stops at its first step; the "
            "working form watches the layer's tf.Variable instead."
        ),
        book_code=join_cells(_IN17, _IN22),
        book_output=_OUT22,
        expected=f32([[1, -1]]),
        note=N_(
            "On Keras 3 a layer's weight is a keras.Variable wrapping a tf.Variable, and "
            "GradientTape.watch refuses it: g.watch(conv2d.weights[0]) raises ValueError "
            "('... of type 'Variable', not tf.Tensor or tf.Variable ...'). Watch "
            "conv2d.kernel.value, the tf.Variable inside, or let the tape watch "
            "conv2d.trainable_variables. The book's losses of 0.000 from batch 2 depend on "
            "its starting kernel: its cell numbers jump from In [18] to In [22], so the "
            "loop most likely ran again on a layer earlier runs had trained. From a fresh "
            "random start the loss needs the 10 steps to fall, so the check is the learned "
            "kernel, not those digits."
        ),
        working_code=_LOOP_WORKING,
    ),
    "learned_weights": Cell(
        section="5.1",
        title=N_("The learned kernel"),
        source=N_("D2L TF2 edition notes, 5.1, In [23]"),
        explanation=N_(
            "After training, the layer's kernel is read back with get_weights and reshaped "
            "to (1, 2). The book got [[0.9999567, -1.0000432]], almost exactly [1, -1]. "
            "A run from another random start ends with other digits, but close to the "
            "same kernel."
        ),
        book_code=_IN23,
        book_output=_OUT23,
        expected=f32([[0.9999567, -1.0000432]]),
    ),
}
