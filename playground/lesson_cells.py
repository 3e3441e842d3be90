"""The book's cells as data: code, printed output and expected values.

Texts for :mod:`playground.lessons`, which runs them. Cells of D2L 5.1-5.2
are copied from the TF2 edition's notes the project starts from
(shared/book/000_837a3f4c7bd6f70f.txt), line for line, Chinese comments
included; only trailing spaces are dropped. Cells of 5.3-5.4 follow the
same TF2 edition (the Dive-into-DL-TensorFlow2.0 notebooks). A few lessons
need a cell that edition lacks; their ``source`` names the edition quoted.

Every ``expected`` holds the book's numbers in the book's own layout (for
example (1, 2, 2, 1) for a Keras pooling output), so a reader can compare
it with ``book_output`` at a glance. Nothing here computes anything.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np


@dataclass(frozen=True)
class Cell:
    """What the Lessons page shows for one lesson, besides the run itself.

    ``book_code`` and ``book_output`` may span several of the book's cells;
    the cells' sources, and their outputs, are then joined by a blank line
    in the book's order.
    """

    section: str
    title: str
    source: str
    explanation: str
    book_code: str
    book_output: str
    expected: Any
    note: str = ""
    working_code: str = ""


def _const(values, dtype=np.float32) -> np.ndarray:
    # read-only: these arrays are shared by every run and every session
    array = np.array(values, dtype=dtype)
    array.flags.writeable = False
    return array


def _f32(values) -> np.ndarray:
    return _const(values)


def _cells(*parts: str) -> str:
    return "\n\n".join(parts)


# ---- D2L TF2 edition notes, 5.1 and 5.2 (In [n] as numbered there) -------

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

# ---- D2L TF2 edition, 5.3 (multiple channels) and 5.4 (pooling) ---------

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

# ---- cells the TF2 edition lacks, from the other D2L editions ------------

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

_PADDING_MXNET = """\
conv2d = nn.Conv2D(1, kernel_size=(3, 5), padding=(0, 1), strides=(3, 4))
comp_conv2d(conv2d, X).shape"""

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

# ---- working forms on Keras 3 ---------------------------------------------

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

_PADDING_WORKING = """\
# Keras' Conv2D takes only 'valid' or 'same': pad the input, then use 'valid'
conv2d = tf.keras.layers.Conv2D(1, kernel_size=(3,5), padding='valid', strides=(3,4))
comp_conv2d(conv2d, tf.pad(X, [[0, 0], [1, 1]])).shape"""

_POOL_CHANNELS_WORKING = """\
X = tf.concat([X, X+1], axis=3)  # two channels: shape (1, 4, 4, 2)
X.shape

pool2d = tf.keras.layers.MaxPool2D(3, padding='same', strides=2)
pool2d(X)"""

# ---- the book's numbers ---------------------------------------------------

_BARS = _f32([[1, 1, 0, 0, 0, 0, 1, 1]] * 6)
_EDGES = _f32([[0, 1, 0, 0, 0, -1, 0]] * 6)

_NOTES = "D2L TF2 edition notes"
_TF2 = "D2L TF2 edition (Dive-into-DL-TensorFlow2.0)"

CELLS: dict[str, Cell] = {
    # ---- 5.1 two-dimensional convolution ----------------------------------
    "corr2d": Cell(
        section="5.1",
        title="Cross-correlation with the playground's corr2d",
        source=f"{_NOTES}, 5.1, In [4], In [5], In [7]",
        explanation=(
            "A 2D cross-correlation slides the kernel K over the input X and, at each "
            "position, multiplies the overlapping numbers and adds them up. A 2x2 kernel "
            "fits in 2x2 positions of a 3x3 input, so the output is 2x2. The top-left value "
            "is 0*0 + 1*1 + 3*2 + 4*3 = 19. The playground's corr2d is the book's loop "
            "written with numpy."
        ),
        book_code=_cells(_IN4, _IN5, _IN7),
        book_output=_OUT7,
        expected=_f32([[19, 25], [37, 43]]),
    ),
    "corr2d_tf": Cell(
        section="5.1",
        title="The book's TensorFlow corr2d, run as printed",
        source=f"{_NOTES}, 5.1, In [4], In [5], In [7]",
        explanation=(
            "This is the book's own function: it fills a tf.Variable one cell at a time "
            "with assign. It runs unchanged on today's TensorFlow and Keras 3 and gives the "
            "same numbers. It is easy to read but slow, because every output cell is a "
            "separate TensorFlow call."
        ),
        book_code=_cells(_IN4, _IN5, _IN7),
        book_output=_OUT7,
        expected=_f32([[19, 25], [37, 43]]),
    ),
    "conv2d_layer": Cell(
        section="5.1",
        title="A custom convolution layer",
        source=f"{_NOTES}, 5.1, In [8]; it prints nothing, so the expected output is In [7]'s",
        explanation=(
            "A convolution layer is a cross-correlation plus a bias, with the kernel and "
            "the bias as weights it can learn. With its kernel set to K and its bias to 0, "
            "the layer must give exactly corr2d(X, K). The book's layer needs one change "
            "to build a kernel of the right size (see the note)."
        ),
        book_code=_IN8,
        book_output=_OUT7,
        expected=_f32([[19, 25], [37, 43]]),
        note=(
            "As printed, build(self, kernel_size) never receives a kernel size: Keras (2 "
            "and 3 alike) calls build with the input's shape, so w takes the input's shape, "
            "(3, 3) here, and the output shrinks to 1x1. The working form takes the kernel "
            "size in __init__ (the book's unused units argument goes)."
        ),
        working_code=_LAYER_WORKING,
    ),
    "edge_image": Cell(
        section="5.1",
        title="An image with two edges",
        source=f"{_NOTES}, 5.1, In [9]",
        explanation=(
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
        title="The edge kernel K = [1, -1]",
        source=f"{_NOTES}, 5.1, In [10], In [14]",
        explanation=(
            "K is 1 pixel high and 2 wide. On two neighbouring pixels it computes left "
            "minus right: 0 where they are equal, not 0 where the brightness changes. "
            "Its shape (1, 2) fixes the output's shape: (6 - 1 + 1, 8 - 2 + 1) = (6, 7)."
        ),
        book_code=_cells(_IN10, _IN14),
        book_output=_OUT14,
        expected=((1, 2), _f32([[1, -1]])),
    ),
    "edge_detect": Cell(
        section="5.1",
        title="Edge detection: Y = corr2d(X, K)",
        source=f"{_NOTES}, 5.1, In [15]",
        explanation=(
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
        title="K only sees vertical edges",
        source=(
            "D2L 2nd edition (d2l.ai), 'Convolutions for Images', TensorFlow version; "
            "the TF2 notes have no such cell"
        ),
        explanation=(
            "Transposing X turns its vertical edges into horizontal ones. K compares left "
            "and right neighbours only, so on the transposed image every pair it sees is "
            "equal and the output is all zeros. In the same way the transposed kernel "
            "[[1], [-1]] gives zeros on the original X: it compares pixels above and below, "
            "and X only changes from left to right."
        ),
        book_code=_TRANSPOSED,
        book_output=_TRANSPOSED_OUT,
        expected=_f32(np.zeros((8, 5))),
    ),
    "reshape_4d": Cell(
        section="5.1",
        title="Batch and channel axes",
        source=f"{_NOTES}, 5.1, In [16], In [18]",
        explanation=(
            "Keras layers work on 4D arrays shaped (samples, height, width, channels). "
            "The book reshapes the image to (1, 6, 8, 1) and the edge map to (1, 6, 7, 1): "
            "one sample with one channel. The numbers stay the same; only axes of length 1 "
            "are added around them."
        ),
        book_code=_cells(_IN16, _IN18),
        book_output=_cells(_OUT16, _OUT18),
        expected=_f32(_EDGES.reshape(1, 6, 7, 1)),
    ),
    "learn_kernel": Cell(
        section="5.1",
        title="Learning the kernel from X and Y",
        source=f"{_NOTES}, 5.1, In [17], In [22]",
        explanation=(
            "Now the kernel is unknown: a Conv2D layer starts from random weights, measures "
            "the squared error between its output and Y, and moves each weight a little "
            "against its gradient. After 10 steps its kernel is close to [1, -1], the "
            "kernel that made Y. On Keras 3 the book's loop stops at its first step; the "
            "working form watches the layer's tf.Variable instead."
        ),
        book_code=_cells(_IN17, _IN22),
        book_output=_OUT22,
        expected=_f32([[1, -1]]),
        note=(
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
        title="The learned kernel",
        source=f"{_NOTES}, 5.1, In [23]",
        explanation=(
            "After training, the layer's kernel is read back with get_weights and reshaped "
            "to (1, 2). The book got [[0.9999567, -1.0000432]], almost exactly [1, -1]. "
            "A run from another random start ends with other digits, but close to the "
            "same kernel."
        ),
        book_code=_IN23,
        book_output=_OUT23,
        expected=_f32([[0.9999567, -1.0000432]]),
    ),
    # ---- 5.2 padding and stride --------------------------------------------
    "padding_same": Cell(
        section="5.2",
        title="Padding 'same' keeps the size",
        source=f"{_NOTES}, 5.2, In [24], In [25], In [28]",
        explanation=(
            "Padding adds rows and columns of zeros around the input before the kernel "
            "slides. With a 3x3 kernel, one zero on every side lets the kernel sit centred "
            "on every pixel, so an 8x8 input gives an 8x8 output; Keras calls this "
            "padding='same'. The book's formula floor((n - k + p + s) / s), with p the "
            "padding of both sides together, gives (8 - 3 + 2 + 1) / 1 = 8."
        ),
        book_code=_cells(_IN24, _IN25, _IN28),
        book_output=_OUT28,
        expected=(8, 8),
    ),
    "stride_2": Cell(
        section="5.2",
        title="Stride 2 halves the size",
        source=f"{_NOTES}, 5.2, In [32]",
        explanation=(
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
        title="A different kernel size and stride in each direction",
        source=f"{_NOTES}, 5.2, In [33]",
        explanation=(
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
        title="Padding (0, 1): one column on each side",
        source=(
            "D2L 1st edition (MXNet), 5.2.2: the cell the TF2 edition replaced with "
            "padding='valid' (In [33])"
        ),
        explanation=(
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
        note=(
            "This is MXNet code: TensorFlow's Conv2D cannot take padding=(0, 1). The "
            "working form pads X with tf.pad, one column of zeros on each side, and uses "
            "padding='valid'."
        ),
        working_code=_PADDING_WORKING,
    ),
    # ---- 5.3 multiple input and output channels ----------------------------
    "multi_in": Cell(
        section="5.3",
        title="Several input channels",
        source=f"{_TF2}, 5.3.1, In [3]",
        explanation=(
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
        expected=_f32([[56, 72], [104, 120]]),
        note=(
            "The book keeps channels first, (channels, height, width); Keras and the "
            "playground keep them last. The playground computes in its own layout and "
            "transposes back to compare."
        ),
    ),
    "multi_in_out": Cell(
        section="5.3",
        title="Several output channels",
        source=f"{_TF2}, 5.3.2, In [4], In [5], In [6]",
        explanation=(
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
        expected=_f32([[[56, 72], [104, 120]], [[76, 100], [148, 172]], [[96, 128], [192, 224]]]),
    ),
    "conv_1x1": Cell(
        section="5.3",
        title="A 1x1 convolution is a matrix product",
        source=f"{_TF2}, 5.3.3, In [7], In [8]",
        explanation=(
            "A 1x1 kernel looks at one pixel at a time, so it only mixes channels: each "
            "output pixel is a weighted sum of that pixel's input channels. That is the "
            "matrix product of the (c_o, c_i) weights with the (c_i, h*w) pixels. The book "
            "checks on random numbers that both ways agree to within 1e-6."
        ),
        book_code=_CONV_1X1,
        book_output="<tf.Tensor: id=1392, shape=(), dtype=bool, numpy=True>",
        expected=True,
    ),
    # ---- 5.4 pooling --------------------------------------------------------
    "pool2d_max": Cell(
        section="5.4",
        title="Max pooling",
        source=f"{_TF2}, 5.4.1, In [2], In [3]",
        explanation=(
            "A pooling window slides like a kernel but has no weights. Max pooling outputs "
            "the largest number in each window: on the 3x3 input a 2x2 window finds 4, 5, "
            "7 and 8."
        ),
        book_code=_POOL2D,
        book_output="""\
<tf.Variable 'Variable:0' shape=(2, 2) dtype=float32, numpy=
array([[4., 5.],
       [7., 8.]], dtype=float32)>""",
        expected=_f32([[4, 5], [7, 8]]),
    ),
    "pool2d_avg": Cell(
        section="5.4",
        title="Average pooling",
        source=f"{_TF2}, 5.4.1, In [4]",
        explanation=(
            "Average pooling outputs the mean of each window instead: the top-left window "
            "gives (0 + 1 + 3 + 4) / 4 = 2."
        ),
        book_code="pool2d(X, (2,2), 'avg')",
        book_output="""\
<tf.Variable 'Variable:0' shape=(2, 2) dtype=float32, numpy=
array([[2., 3.],
       [5., 6.]], dtype=float32)>""",
        expected=_f32([[2, 3], [5, 6]]),
    ),
    "maxpool_default": Cell(
        section="5.4",
        title="Keras' MaxPool2D: the stride defaults to the window",
        source=f"{_TF2}, 5.4.2, In [5], In [6]",
        explanation=(
            "Keras' MaxPool2D moves its window by the window's own size unless told "
            "otherwise. A 3x3 window then fits a 4x4 input only once, at the top left, and "
            "the largest number there is 10."
        ),
        book_code=_cells(_X16, "pool2d = tf.keras.layers.MaxPool2D(pool_size=[3,3])\npool2d(X)"),
        book_output=_cells(
            _X16_OUT,
            "<tf.Tensor: id=113, shape=(1, 1, 1, 1), dtype=int32, numpy=array([[[[10]]]])>",
        ),
        expected=_const([[[[10]]]], np.int32),
        note=(
            "The book's X is int32 (tf.constant(range(16))); Keras 3's MaxPool2D still "
            "takes integers and returns int32. The playground computes in float32, so its "
            "numbers print as 10. instead of 10."
        ),
    ),
    "maxpool_same_stride2": Cell(
        section="5.4",
        title="Pooling with padding and stride",
        source=f"{_TF2}, 5.4.2, In [7]",
        explanation=(
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
        expected=_const([[[[10], [11]], [[14], [15]]]], np.int32),
        note=(
            "The MXNet edition pads one cell on every side (padding=1) and gets "
            "[[5, 7], [13, 15]]; TensorFlow's 'same' puts its single padded row and column "
            "at the bottom and right, so the windows sit elsewhere."
        ),
    ),
    "maxpool_2x3": Cell(
        section="5.4",
        title="A rectangular window",
        source=(
            "D2L 2nd edition (d2l.ai), 'Pooling', TensorFlow version; the TF2 edition has "
            "no such cell"
        ),
        explanation=(
            "Window, padding and stride can differ between height and width. A 2x3 window "
            "with strides (2, 3) on the input padded with one column of zeros at each side "
            "finds 5, 7, 13 and 15. Here padding='same' adds exactly that column on each "
            "side, so it gives the same."
        ),
        book_code=_POOL_2X3,
        book_output=_POOL_2X3_OUT,
        expected=_f32([[[[5], [7]], [[13], [15]]]]),
    ),
    "pool_channels": Cell(
        section="5.4",
        title="Pooling keeps the channels",
        source=f"{_TF2}, 5.4.3, In [8], In [9]",
        explanation=(
            "Pooling works on each channel by itself: unlike a convolution it does not add "
            "channels together, so two channels in give two channels out. The TF2 "
            "edition's cell, though, does not build two channels (see the note); its "
            "printed numbers are reproduced, and the working form pools real channels."
        ),
        book_code=_POOL_CHANNELS,
        book_output=_POOL_CHANNELS_OUT,
        expected=_const([[[[5], [6]], [[7], [8]]], [[[13], [14]], [[15], [16]]]], np.int32),
        note=(
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
