"""keraslite.callbacks: hooks into fit, evaluate and predict."""

from keraslite.callbacks.backup_and_restore import BackupAndRestore
from keraslite.callbacks.callback import Callback
from keraslite.callbacks.callback_list import CallbackList
from keraslite.callbacks.csv_logger import CSVLogger
from keraslite.callbacks.early_stopping import EarlyStopping
from keraslite.callbacks.history import History
from keraslite.callbacks.lambda_callback import LambdaCallback
from keraslite.callbacks.learning_rate_scheduler import LearningRateScheduler
from keraslite.callbacks.model_checkpoint import ModelCheckpoint
from keraslite.callbacks.progbar_logger import ProgbarLogger
from keraslite.callbacks.reduce_lr_on_plateau import ReduceLROnPlateau
from keraslite.callbacks.remote_monitor import RemoteMonitor
from keraslite.callbacks.swap_ema_weights import SwapEMAWeights
from keraslite.callbacks.tensorboard import TensorBoard
from keraslite.callbacks.terminate_on_nan import TerminateOnNaN

__all__ = [
    "BackupAndRestore", "CSVLogger", "Callback", "CallbackList", "EarlyStopping", "History",
    "LambdaCallback", "LearningRateScheduler", "ModelCheckpoint", "ProgbarLogger",
    "ReduceLROnPlateau", "RemoteMonitor", "SwapEMAWeights", "TensorBoard", "TerminateOnNaN",
]
