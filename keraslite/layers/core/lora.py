"""LoRA for layers with a `_kernel` whose last axis is the output: `enable_lora(rank)` freezes
the kernel and learns kernel + (alpha / rank) * lora_kernel_a @ lora_kernel_b. As in Keras,
weights files hold the merged kernel (then the bias), so they load with or without LoRA."""

import numpy as np

from keraslite import initializers, ops


class LoRAKernel:
    """Mixin: the layer sets `self._kernel`, `self.lora_rank`, `self.lora_alpha`,
    `self.lora_enabled = False` and calls `self._maybe_enable_lora()` at the end of build."""

    def _maybe_enable_lora(self):
        if self.lora_rank:
            self.enable_lora(self.lora_rank, lora_alpha=self.lora_alpha)

    @property
    def kernel(self):
        if not self.built:
            raise AttributeError(f"{type(self).__name__} '{self.name}' has no kernel before it "
                                 "is built.")
        if not self.lora_enabled:
            return self._kernel
        delta = ops.matmul(self.lora_kernel_a, self.lora_kernel_b)
        return ops.add(self._kernel, ops.multiply(delta, self.lora_alpha / self.lora_rank))

    def enable_lora(self, rank, lora_alpha=None, a_initializer="he_uniform",
                    b_initializer="zeros"):
        name = f"{type(self).__name__} '{self.name}'"
        if getattr(self, "kernel_constraint", None):
            raise ValueError(f"{name}: LoRA cannot be combined with a kernel constraint.")
        if not self.built:
            raise ValueError(f"{name}: build the layer before enabling LoRA.")
        if self.lora_enabled:
            raise ValueError(f"{name}: LoRA is already enabled.")
        shape = tuple(self._kernel.shape)
        self.lora_kernel_a = self.add_weight(
            name="lora_kernel_a", shape=shape[:-1] + (rank,),
            initializer=initializers.get(a_initializer), regularizer=self.kernel_regularizer)
        self.lora_kernel_b = self.add_weight(
            name="lora_kernel_b", shape=(rank, shape[-1]),
            initializer=initializers.get(b_initializer), regularizer=self.kernel_regularizer)
        self._kernel.trainable = False
        self.lora_enabled = True
        self.lora_rank = rank
        self.lora_alpha = lora_alpha if lora_alpha is not None else rank

    def _file_variables(self):
        return [self._kernel] + ([self.bias] if self.bias is not None else [])

    def save_own_variables(self, store):
        values = [self.kernel] + ([self.bias] if self.bias is not None else [])
        for i, value in enumerate(values):
            store[str(i)] = np.asarray(ops.convert_to_numpy(value))

    def load_own_variables(self, store):
        targets = self._file_variables()
        if len(store.keys()) != len(targets):
            raise ValueError(f"{type(self).__name__} '{self.name}' expects {len(targets)} "
                             f"variables, received {len(store.keys())}.")
        values = [store[str(i)] for i in range(len(targets))]
        for v, value in zip(targets, values):
            if tuple(np.shape(value)) != tuple(v.shape):
                raise ValueError(f"{type(self).__name__} '{self.name}': variable '{v.name}' has "
                                 f"shape {tuple(v.shape)}, received shape {np.shape(value)}.")
        for v, value in zip(targets, values):
            v.assign(value)
        if self.lora_enabled:  # the file's kernel already holds the update
            for v in (self.lora_kernel_a, self.lora_kernel_b):
                v.assign(np.zeros(v.shape, v.dtype))

    def _lora_config(self):
        return {"lora_rank": self.lora_rank, "lora_alpha": self.lora_alpha} if self.lora_rank \
            else {}
