"""Bridge layers of the torch backend: TorchModuleWrapper runs a torch.nn.Module as a layer.

keraslite.layers exports the names in ``__all__`` when torch is the active backend.
"""

import base64
import io

import torch

from keraslite.backend import KerasTensor
from keraslite.backend.variables import StatelessScope
from keraslite.layers.layer import Layer
from keraslite.utils import tree
from keraslite_backends.torch.core import default_device, dtype_name

__all__ = ["TorchModuleWrapper"]


class TorchModuleWrapper(Layer):
    """A torch.nn.Module as a keraslite layer.

    Each entry of the module's ``state_dict`` (parameters, then persistent buffers) becomes a
    Variable of the layer: parameters that require gradients are trainable, the rest (frozen
    parameters, batch-norm statistics) are not. ``call`` runs the module with the Variables'
    current values (``torch.func.functional_call``), so the trainer's pure steps differentiate
    and update them; buffers the module changes in place become assignments. ``layer.module``
    returns the module holding the layer's current weights.

    `output_shape` (optional) is the layer's output shape for symbolic calls; without it the
    shape is found by running the module on placeholder inputs.
    """

    def __init__(self, module, name=None, output_shape=None, **kwargs):
        super().__init__(name=name, **kwargs)
        if not isinstance(module, torch.nn.Module):
            raise TypeError("TorchModuleWrapper expects a torch.nn.Module. Received: "
                            f"module={module!r} of type {type(module).__name__}")
        if (isinstance(module, torch.nn.modules.lazy.LazyModuleMixin)
                and module.has_uninitialized_params()):
            raise ValueError("TorchModuleWrapper does not support lazy modules whose parameters "
                             f"are not initialized yet: run the module once first. Received: "
                             f"module={module}")
        self._module = module.to(default_device())
        self.output_shape = output_shape
        params = dict(self._module.named_parameters())
        in_state_dict = set(self._module.state_dict(keep_vars=True))
        buffers = {n: b for n, b in self._module.named_buffers() if n in in_state_dict}
        self._param_names = set(params)
        self._buffer_names = list(buffers)
        self._tensor_variables = {  # torch name -> Variable
            n: self.add_weight(t.shape, initializer=t.detach().clone(), dtype=dtype_name(t.dtype),
                               trainable=n in params and t.requires_grad, name=n)
            for n, t in {**params, **buffers}.items()}
        self.built = True

    @property
    def module(self):
        """The wrapped module, its parameters and buffers set to the layer's weights."""
        with torch.no_grad():
            for tensor_name, variable in self._tensor_variables.items():
                self._torch_tensor(tensor_name).copy_(variable.value)
        return self._module

    def _torch_tensor(self, tensor_name):
        if tensor_name in self._param_names:
            return self._module.get_parameter(tensor_name)
        return self._module.get_buffer(tensor_name)

    def parameters(self, recurse=True):
        return self.module.parameters(recurse=recurse)

    def call(self, *args, training=None, **kwargs):
        training = training is not False
        self._module.train(training)
        tensors = {n: v.value for n, v in self._tensor_variables.items()}
        buffers = {}
        if training:  # buffers run on copies whose in-place updates (batch-norm statistics)
            # are then assigned, so the trainer's pure steps see them as new values
            buffers = {n: tensors[n].clone() for n in self._buffer_names}
            tensors.update(buffers)
        outputs = torch.func.functional_call(self._module, tensors, tuple(args), kwargs)
        for n, value in buffers.items():
            self._tensor_variables[n].assign(value)
        return outputs

    def compute_output_spec(self, *args, **kwargs):
        if self.output_shape is not None:
            return tree.map_shape_structure(lambda s: KerasTensor(s, self.compute_dtype),
                                            self.output_shape)
        with StatelessScope():  # tracing must not update the buffers
            return super().compute_output_spec(*args, **kwargs)

    # Saved under the module's state_dict names, as Keras stores this layer.
    def save_own_variables(self, store):
        for tensor_name, variable in self._tensor_variables.items():
            store[tensor_name] = variable.numpy()

    def load_own_variables(self, store):
        keys = [k.decode() if isinstance(k, bytes) else k for k in store.keys()]
        if set(keys) != set(self._tensor_variables):
            raise ValueError(f"Layer '{self.name}' expects the entries "
                             f"{sorted(self._tensor_variables)}, received {sorted(keys)}.")
        values = {n: store[n] for n in self._tensor_variables}
        for tensor_name, variable in self._tensor_variables.items():  # all shapes first
            if tuple(values[tensor_name].shape) != tuple(variable.shape):
                raise ValueError(f"Layer '{self.name}': '{tensor_name}' has shape "
                                 f"{tuple(variable.shape)}, received shape "
                                 f"{tuple(values[tensor_name].shape)}.")
        for tensor_name, variable in self._tensor_variables.items():
            variable.assign(values[tensor_name])

    def get_config(self):
        buffer = io.BytesIO()
        torch.save(self.module, buffer)
        return {**super().get_config(),
                "module": base64.b64encode(buffer.getvalue()).decode("ascii"),
                "output_shape": self.output_shape}

    @classmethod
    def from_config(cls, config, custom_objects=None, safe_mode=None):
        config = dict(config)
        if isinstance(config.get("module"), str):
            if safe_mode is not False:
                raise ValueError(
                    "TorchModuleWrapper's config holds a pickled torch module; unpickling it can "
                    "run arbitrary code, so it is refused by default. If you trust the source, "
                    "call TorchModuleWrapper.from_config(config, safe_mode=False).")
            data = base64.b64decode(config["module"].encode("ascii"))
            config["module"] = torch.load(io.BytesIO(data), weights_only=False)
        return super().from_config(config)
