"""Use case: suggest IPC subclasses (and main groups) for a text in any language.

The model (``model``) combines four scorers and a stacker (``learners``), trained on labelled texts
(``training``); ``evaluation`` measures it. This module opens the saved model or trains it from the register.

Four models score every subclass:

- kernel ridge regression, one output per subclass, over two views of a text: word TF-IDF (Chinese
  segmented with jieba, other languages by whitespace) and the multilingual sentence embedding USE (squared
  cosine kernel, so a Chinese title and an English abstract on one subject meet);
- a zero-shot score: embedding similarity to the subclass's own and its main groups' bilingual titles;
- kernel ridge over multilingual-e5-small embeddings (centred, squared cosine kernel): its neighbours share
  subclasses more often than USE's;
- one-vs-rest linear SVMs on character 1–2-gram TF-IDF, trained on the same texts *and* on the IPC scheme
  itself: one document per main group (its Chinese title with those of its subgroups) and per subclass.
  The scheme's wording ("捕捉或杀灭昆虫的固定式装置") teaches the vocabulary of rare subclasses and gives every
  subclass, with or without a training document, a trained model.

A stacker (gradient-boosted trees) then rates the 20 best subclasses by the weighted sum of the four scores,
from the scores, their ranks and gaps, the subclass's frequency and its co-occurrence with the text's two best
subclasses; suggestions are ranked by its probability. It is trained on out-of-fold scores of the training set
(kernel ridge: exact leave-one-out in closed form; SVMs: 2-fold), never on scored texts.

It learns from the register's classified documents and any labelled title files given. Measured by 5-fold
CV on cn_ipc_dev.csv (bench/README.md, which lists the variants tried).

Which subclasses are *predicted* (committed to): the first suggestion always, plus every other one whose
probability reaches a threshold chosen to maximise micro-F1 on the stacker's own out-of-fold probabilities.
The probability is the confidence shown to users: on held-out titles it is calibrated as it is (ECE 0.008).

A suggestion carries its most likely main group ("H02J 7/00") when the probability that the group is right
reaches ``model.GROUP_CONFIDENT`` (``groups``: ranked without training, calibrated on the register's documents).

The trained model is saved under the data folder (:func:`model_path`, ``var/models/ipc_model.pkl``): only
the first ``ipoffice classify`` (or ``--retrain``) trains, later runs load it.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ipoffice.adapters.embeddings import CachedEmbedder
from ipoffice.adapters.register import SqlRegister
from ipoffice.services.classify.learners import word_tokens
from ipoffice.services.classify.model import IpcClassifier
from ipoffice.services.classify.training import labelled_documents, read_labelled_csv, register_ipc_scheme

MODEL_FILE = "ipc_model.pkl"
# Models saved while this package was one module pickled their word tokenizer under this name: they still load.
_tokens = word_tokens


def model_path(var_dir: Path) -> Path:
    """Where the trained model of the data folder ``var_dir`` is saved."""
    return var_dir / "models" / MODEL_FILE  # not in a derived store's folder: publishing one sweeps it


def train_from_register(register: SqlRegister, path: Path, embedder: CachedEmbedder,
                        training_files: Sequence[Path] = ()) -> IpcClassifier:
    """Train on the register's classified documents, the labelled title files ``training_files``
    (``publication_number,title,ipc_subclasses``, see :func:`.training.read_labelled_csv`) and the
    register's IPC scheme, and save the model at ``path``. Raises ValueError when there is nothing
    classified to learn from (or a file is malformed)."""
    examples = labelled_documents(register.iter_documents())
    for file in training_files:
        examples += read_labelled_csv(file)
    titles, scheme = register_ipc_scheme(register)
    model = IpcClassifier.train(examples, titles, embedder, scheme)
    model.save(path)
    return model


def open_classifier(register: SqlRegister, path: Path, embedder: CachedEmbedder, *,
                    training_files: Sequence[Path] = (), retrain: bool = False) -> IpcClassifier:
    """The model saved at ``path`` (see :func:`model_path`), trained first if there is none (or
    ``retrain``): see :func:`train_from_register`. Raises RuntimeError for a model saved by another
    version or with another embedding model."""
    if path.exists() and not retrain:
        return IpcClassifier.load(path, embedder)
    return train_from_register(register, path, embedder, training_files)
