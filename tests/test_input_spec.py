"""InputSpec and the input check every layer call makes. The pass/fail table was checked
against Keras 3.15.1's own check (keras.src.layers.input_spec.assert_input_compatibility)."""

import numpy as np
import pytest

from keraslite import layers, ops
from keraslite.layers import Input, InputSpec, Layer

TABLE = [  # (spec kwargs, input shape, input dtype, accepted)
    ({"ndim": 2}, (4, 3), "float32", True),
    ({"ndim": 2}, (4, 3, 1), "float32", False),
    ({"min_ndim": 3}, (4, 3), "float32", False),
    ({"min_ndim": 3}, (4, 3, 2, 1), "float32", True),
    ({"max_ndim": 3}, (4, 3, 2, 1), "float32", False),
    ({"max_ndim": 3}, (4, 3), "float32", True),
    ({"ndim": 3, "axes": {-1: 5}}, (2, 3, 5), "float32", True),
    ({"ndim": 3, "axes": {-1: 5}}, (2, 3, 4), "float32", False),
    ({"min_ndim": 2, "axes": {1: 3}}, (2, 4, 5), "float32", False),
    ({"dtype": "int32"}, (2,), "float32", False),
    ({"dtype": "float32"}, (2,), "float32", True),
    ({"shape": (None, 3)}, (7, 3), "float32", True),
    ({"shape": (None, 3)}, (7, 4), "float32", False),
    ({"shape": (None, 3)}, (7, 3, 1), "float32", False),
    ({"shape": (None, 3, 1), "allow_last_axis_squeeze": True}, (7, 3), "float32", True),
    ({"shape": (None, 3), "allow_last_axis_squeeze": True}, (7, 3, 1), "float32", True),
    ({"shape": (None, 3), "allow_last_axis_squeeze": True}, (7, 4, 1), "float32", False),
]


class Doubler(Layer):
    def __init__(self, spec, **kwargs):
        super().__init__(**kwargs)
        self.input_spec = spec

    def call(self, x):
        return x * 2


@pytest.mark.parametrize("kwargs, shape, dtype, accepted", TABLE)
def test_spec_table_eager_and_symbolic(kwargs, shape, dtype, accepted):
    layer = Doubler(InputSpec(**kwargs), name="doubler")
    x = ops.convert_to_tensor(np.ones(shape, dtype))
    sym = Input(batch_shape=shape, dtype=dtype)
    if accepted:
        np.testing.assert_array_equal(ops.convert_to_numpy(layer(x)), np.full(shape, 2, dtype))
        assert tuple(layer(sym).shape) == shape
    else:
        for value in (x, sym):
            with pytest.raises(ValueError, match="layer 'doubler' is incompatible") as info:
                layer(value)
            assert str(shape) in str(info.value)


def test_spec_set_in_build_is_checked_on_later_calls():
    class Last3(Layer):
        def build(self, input_shape):
            self.input_spec = InputSpec(min_ndim=2, axes={-1: input_shape[-1]})

        def call(self, x):
            return x

    layer = Last3(name="last3")
    layer(np.ones((2, 3), "float32"))
    with pytest.raises(ValueError, match="expected axis -1 of input shape to have value 3"):
        layer(np.ones((2, 4), "float32"))


def test_several_inputs_and_names():
    class Pair(Layer):
        def __init__(self):
            super().__init__(name="pair")
            self.input_spec = [InputSpec(ndim=2, name="a"), InputSpec(ndim=3, name="b")]

        def call(self, inputs):
            return inputs["a"] if isinstance(inputs, dict) else inputs[0]

    layer = Pair()
    a, b = np.ones((2, 3), "float32"), np.ones((2, 3, 1), "float32")
    layer([a, b])
    layer({"b": b, "a": a})
    with pytest.raises(ValueError, match="expects 2 input"):
        layer([a])
    with pytest.raises(ValueError, match='Missing data for input "b"'):
        layer({"a": a, "c": b})
    with pytest.raises(ValueError, match="Input 1 of layer 'pair'"):
        layer([a, a])


def test_config_repr_and_bad_axes():
    spec = InputSpec(dtype="float32", shape=(None, 4), axes={"1": 4})
    assert spec.ndim == 2 and spec.axes == {1: 4}
    config = spec.get_config()
    assert config == {"dtype": "float32", "shape": (None, 4), "ndim": 2, "max_ndim": None,
                      "min_ndim": None, "axes": {1: 4}, "optional": False}
    assert InputSpec.from_config(config).get_config() == config
    assert repr(spec) == "InputSpec(dtype=float32, shape=(None, 4), ndim=2, axes={1: 4})"
    with pytest.raises(TypeError, match="axes"):
        InputSpec(axes={"x": 1})
    with pytest.raises(ValueError, match="maximum allowed value: 1"):
        InputSpec(ndim=2, axes={2: 3})
    assert layers.InputSpec is InputSpec
