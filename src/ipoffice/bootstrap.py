"""The composition root: the one place that reads the environment and wires ipoffice together.

:func:`office` builds the running :class:`Office` once per process (the CLI's callback and the web's
``create_app`` call it once); services receive their collaborators from it and never open anything
themselves. Everything is built on first use, so a command that only reads a case never loads the search
engine or the embedding model.

Adding a keyword engine (e.g. PostgreSQL full text + pgvector) is one adapter implementing
:class:`ipoffice.domain.search.KeywordEngine` and one line in :meth:`Office.keyword_engine`.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from contextlib import suppress
from datetime import date
from functools import cached_property, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from ipoffice.adapters.database import make_engine, migrate
from ipoffice.adapters.register import SqlRegister
from ipoffice.config import Settings

if TYPE_CHECKING:  # the heavy collaborators are imported when first built, not when the CLI starts
    from ipoffice.adapters.embeddings import CachedEmbedder
    from ipoffice.adapters.form_submissions import FormSubmissions
    from ipoffice.adapters.trademark_store import TrademarkStore
    from ipoffice.domain.matching import OpenLicences
    from ipoffice.domain.search import KeywordEngine
    from ipoffice.domain.trademark_conflicts import EarlierMarkFinder
    from ipoffice.services.accounts import Accounts
    from ipoffice.services.centres import CentreService
    from ipoffice.services.claim_chart import ClaimCharter
    from ipoffice.services.classify.model import IpcClassifier
    from ipoffice.services.concept_search import SubclassModel
    from ipoffice.services.disputes import DisputeService
    from ipoffice.services.importing import DocumentsChanged, Importer, Progress
    from ipoffice.services.indicators import IndicatorService
    from ipoffice.services.inventory import InventoryService
    from ipoffice.services.marketplace import Marketplace
    from ipoffice.services.matching import Matcher
    from ipoffice.services.procedures import ProcedureService
    from ipoffice.services.recordals import RecordalService
    from ipoffice.services.search import SearchService
    from ipoffice.services.semantic import SemanticStore
    from ipoffice.services.st27_status import St27StatusService
    from ipoffice.services.title_chain import TitleChainService
    from ipoffice.services.trademark_examination import TrademarkExamination
    from ipoffice.services.trademark_similarity import TrademarkSimilarity
    from ipoffice.services.trademark_watch import TrademarkWatches
    from ipoffice.services.value import ValueIndicators


# Subclass models of concept search, one per register and vector cache in this process: several offices of the
# same settings (the web's workers' requests, the tests' apps) share one, and a web request never builds one.
_MODELS: dict[tuple[str, str], SubclassModel] = {}
_PREPARING: set[tuple[str, str]] = set()
_MODELS_LOCK = threading.Lock()


def office(settings: Settings | None = None) -> Office:
    """The office of ``settings``, by default of the environment (``IPOFFICE_*``, ``ipoffice.env``)."""
    return Office(settings or Settings.from_env())


def open_register(settings: Settings, *, create: bool = True) -> SqlRegister:
    """The register of ``settings``, migrated to the newest schema (and its var folder made) when ``create``."""
    if create:
        settings.var_dir.mkdir(parents=True, exist_ok=True)
        _migrate_once(settings.database_url)
    return SqlRegister(make_engine(settings.database_url))


@lru_cache(maxsize=8)
def _migrate_once(url: str) -> None:
    migrate(url)


class Office:
    """One running office: its register, procedures, indexes, search and classifier, built on first use.

    Thread-safe where the web needs it (the search service may be opened by concurrent requests).
    """

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.serving = False  # set by the web app: derived stores then catch up in the background
        self._lock = threading.Lock()
        self._classifier: IpcClassifier | None = None

    # --- the register and the procedures -----------------------------------------------------------

    @cached_property
    def register(self) -> SqlRegister:
        """The register (documents, reference data), migrated to the newest schema on first use."""
        return open_register(self.settings)

    @cached_property
    def procedures(self) -> ProcedureService:
        """The procedures service over the same database as the register (the only writer of cases), with the
        folder of documents attached to acts (``<var>/uploads``)."""
        from ipoffice.adapters.document_files import DocumentFolder
        from ipoffice.adapters.procedure_store import ProcedureStore
        from ipoffice.services.procedures import ProcedureService
        from ipoffice.services.recordals import PledgeWatch

        return ProcedureService(ProcedureStore(self.register.engine),
                                documents=DocumentFolder(self.uploads_dir), clock=self.today,
                                on_public_change=self._public_case_changed,
                                watchers=(PledgeWatch(),))

    def _public_case_changed(self, number: str) -> None:
        """After an act on a published case: its register document follows at once; when serving
        (``serving``), the indexes too, in the background (the act is committed, and a request does not wait
        for the re-indexing); otherwise the next search catches them up."""
        from ipoffice.adapters.writer_lock import RegisterBusy
        from ipoffice.services.case_documents import project_published_cases

        if not self.serving:
            with suppress(RegisterBusy), self.register.writer_lock("published case"):
                project_published_cases(self.procedures, self.register)
            return

        def catch_up() -> None:
            with suppress(RegisterBusy):  # another writer holds the lock: it (or the next catch-up) does it
                self.catch_up_indexes()

        threading.Thread(target=catch_up, name=f"ipoffice-publish-{number}", daemon=True).start()

    @cached_property
    def centres(self) -> CentreService:
        """The protection centres: configuration, eligibility, pre-examination queue, published figures."""
        from ipoffice.services.centres import CentreService

        return CentreService(self.procedures)

    @cached_property
    def recordals(self) -> RecordalService:
        """Recordals on granted rights (transfers, licences, pledges, open licences; issue #16)."""
        from ipoffice.services.recordals import RecordalService

        return RecordalService(self.procedures, st27_status=self.st27_status.status)

    @cached_property
    def disputes(self) -> DisputeService:
        """Administrative adjudication of patent disputes, over the procedures service."""
        from ipoffice.services.disputes import DisputeService

        return DisputeService(self.procedures)

    @cached_property
    def indicators(self) -> IndicatorService:
        """Statistics and indicators over the register (DuckDB; definitions as dated data, issue #18)."""
        from ipoffice.adapters.indicator_engine import IndicatorEngine
        from ipoffice.adapters.indicators_loader import load_indicator_catalogue
        from ipoffice.services.indicators import IndicatorService

        return IndicatorService(IndicatorEngine(self.register.engine, load_indicator_catalogue(),
                                                snapshot_dir=self.settings.var_dir / "indicators"), today=self.today)

    @cached_property
    def title_chain(self) -> TitleChainService:
        """Recorded assignments (USPTO records, ODP assignment bags): chains of title (issue #16)."""
        from ipoffice.adapters.title_store import SqlTitleStore
        from ipoffice.services.title_chain import TitleChainService

        return TitleChainService(SqlTitleStore(self.register.engine))

    @cached_property
    def st27_status(self) -> St27StatusService:
        """The legal status of a right in WIPO ST.27 terms, from its events, as of any date (issue #16)."""
        from ipoffice.adapters.recorded_events import SqlRecordedEvents
        from ipoffice.adapters.st27_vocabulary import load_st27_vocabulary
        from ipoffice.services.st27_status import St27StatusService

        return St27StatusService(self.register, SqlRecordedEvents(self.register.engine), self.procedures,
                                 load_st27_vocabulary())
    # --- trademarks: relative grounds, oppositions, watches ------------------------------------------------

    @cached_property
    def trademark_store(self) -> TrademarkStore:
        from ipoffice.adapters.trademark_store import TrademarkStore

        return TrademarkStore(self.register.engine)

    @cached_property
    def earlier_marks(self) -> EarlierMarkFinder:
        """The earlier-mark finder of relative-grounds examination (``domain.trademark_conflicts``): the word-mark
        similarity search over the register's marks (visual, phonetic, conceptual, containment, goods) plus the
        office's live CN trademark applications (``services.trademark_earlier_marks``)."""
        from ipoffice.services.trademark_earlier_marks import SimilarEarlierMarks
        from ipoffice.services.trademark_examination import case_marks

        return SimilarEarlierMarks(self.trademark_similarity, lambda before: case_marks(self.procedures, before))

    @cached_property
    def trademark_examination(self) -> TrademarkExamination:
        from ipoffice.services.trademark_examination import TrademarkExamination

        return TrademarkExamination(self.procedures, self.earlier_marks)

    @cached_property
    def trademark_watches(self) -> TrademarkWatches:
        from ipoffice.services.trademark_watch import TrademarkWatches

        return TrademarkWatches(self.trademark_store, self.procedures)

    def today(self) -> date:
        """The office's clock: the system date, or ``Settings.today`` when the clock is stopped (demos, tests)."""
        return self.settings.today or date.today()

    @property
    def uploads_dir(self) -> Path:
        """Documents attached to acts, ``<var>/uploads/<case>/<sha256>-<name>``."""
        return self.settings.var_dir / "uploads"

    @property
    def anchor_file(self) -> Path:
        """Where ``ipoffice audit anchor`` appends the heads of the event log by default."""
        return self.settings.var_dir / "audit-anchors.jsonl"

    @cached_property
    def accounts(self) -> Accounts:
        """Logins: password hashes, login sessions, API tokens of the procedures' users; login throttling."""
        from ipoffice.adapters.accounts import AccountStore
        from ipoffice.services.accounts import AccountPolicy, Accounts

        s = self.settings
        policy = AccountPolicy(session_hours=s.session_hours, token_days=s.token_days,
                               attempts_per_account=s.login_attempts_per_account,
                               attempts_per_address=s.login_attempts_per_address,
                               throttle_storage=s.throttle_storage)
        return Accounts(AccountStore(self.register.engine), self.procedures, policy)

    @cached_property
    def form_submissions(self) -> FormSubmissions:
        """The one-time tokens of the portal's forms (a reload or double submit does not act twice)."""
        from ipoffice.adapters.form_submissions import FormSubmissions

        return FormSubmissions(self.register.engine)

    # --- indexes -----------------------------------------------------------------------------------

    @property
    def keyword_index_path(self) -> Path:
        return self.settings.var_dir / "search-index"

    @property
    def semantic_dir(self) -> Path:
        return self.settings.var_dir / "semantic"

    def keyword_engine(self) -> KeywordEngine:
        """The keyword engine over the current index generation (following rebuilds); raises IndexMissing
        (a SearchError) when it was never built."""
        from ipoffice.services.indexing import CurrentKeywordIndex

        return CurrentKeywordIndex(self.keyword_index_path)

    def embedder(self) -> CachedEmbedder:
        """The multilingual sentence encoder with this office's vector cache (the model loads once per process)."""
        from ipoffice.adapters.embeddings import cached_embedder

        return cached_embedder(self.settings.vector_cache)

    @cached_property
    def semantic(self) -> SemanticStore:
        """The semantic (dense-vector) index of the register: rebuild, update, retrieve."""
        from ipoffice.services.semantic import SemanticStore

        return SemanticStore(self.semantic_dir, self.register, self.embedder)

    @cached_property
    def trademark_similarity(self) -> TrademarkSimilarity:
        """Word-mark similarity search over the register's marks (``<var>/mark-index``, rebuilt when the marks
        change); its ``earlier_marks`` is the seam of relative-grounds examination, opposition and watch."""
        from ipoffice.adapters.mark_records import trademark_records, trademark_state
        from ipoffice.services.trademark_similarity import TrademarkSimilarity

        engine = self.register.engine
        return TrademarkSimilarity(self.settings.var_dir / "mark-index", lambda: trademark_records(engine),
                                   lambda: trademark_state(engine), self.embedder)

    def index_listeners(self) -> list[DocumentsChanged]:
        """Everyone who must hear of documents added or updated by an import: the keyword index, the vectors."""
        from ipoffice.services.indexing import KeywordIndexUpdater

        return [KeywordIndexUpdater(self.keyword_index_path, self.register), self.semantic.update]

    def importer(self, *, batch_size: int = 250, progress: Progress | None = None, readers: int = 0,
                 listeners: Sequence[DocumentsChanged] | None = None) -> Importer:
        """The import use case into the register, telling :meth:`index_listeners` (or ``listeners``); with the
        office's listeners, the indexes first catch up with what an interrupted import left behind."""
        from ipoffice.services.importing import Importer

        def catch_up() -> str | None:
            return "; ".join(self._catch_up_indexes(semantic=True)) or None

        own = listeners is None
        return Importer(self.register, batch_size=batch_size, progress=progress, readers=readers,
                        on_documents_changed=self.index_listeners() if own else listeners or (),
                        catch_up=[catch_up] if own else ())

    def catch_up_indexes(self, *, semantic: bool = True) -> list[str]:
        """Bring the derived indexes to the register's state (each re-indexes exactly what it lacks; a
        missing or outdated keyword index is rebuilt aside) under the register's writer lock; what was done.

        Raises ``RegisterBusy`` when another process (an import) holds the lock: that one keeps them current.
        """
        with self.register.writer_lock("index catch-up"):
            return self._catch_up_indexes(semantic=semantic)

    def _catch_up_indexes(self, *, semantic: bool) -> list[str]:
        from ipoffice.services.case_documents import project_published_cases
        from ipoffice.services.indexing import catch_up_keyword_index

        done = []
        projected = project_published_cases(self.procedures, self.register)  # cases' documents come first
        if projected.added or projected.updated:
            done.append(f"register: documents of published cases {projected.added} added, "
                        f"{projected.updated} updated")
        keyword = catch_up_keyword_index(self.register, self.keyword_index_path)
        if keyword.did_something:
            done.append(f"keyword index {keyword}")
        vectors = self.semantic.catch_up() if semantic else None
        if vectors is not None and vectors.behind:
            done.append(f"semantic index caught up: {vectors}")
        return done

    # --- search --------------------------------------------------------------------------------------

    def search(self, *, dense: bool = True, catch_up: bool = True,
               concept_groups: Mapping[str, str] | None = None, wait_for_models: bool = True) -> SearchService:
        """The search service: the keyword engine, and the dense retriever and concept search when ``dense``
        and the vectors exist (``concept_groups``: fold groups of labelled documents, for an evaluation).

        With ``wait_for_models`` False (the web), concept search never builds its subclass model inside a
        request: it raises :class:`~ipoffice.domain.search.ModelPreparing` while the model is built in the
        background. The indexes first catch up with the register (unless an import holding the writer lock
        is doing it).
        """
        from ipoffice.adapters.writer_lock import RegisterBusy
        from ipoffice.services.search import SearchService

        if catch_up:
            with suppress(RegisterBusy):  # an import holds the lock: it updates the indexes batch by batch
                self.catch_up_indexes(semantic=dense)
        engine = self.keyword_engine()
        retriever = self.semantic.retriever() if dense else None
        concept = None
        if retriever is not None:
            from ipoffice.services.concept_search import ConceptSearch

            concept = ConceptSearch(engine.search, retriever,
                                    (lambda: self.subclass_model(concept_groups)) if wait_for_models
                                    else self._ready_subclass_model_or_raise)
        return SearchService(engine, retriever, concept)

    @property
    def _model_key(self) -> tuple[str, str]:
        return self.settings.database_url, str(self.settings.vector_cache_dir)

    def _build_subclass_model(self, groups: Mapping[str, str] | None = None) -> SubclassModel:
        from ipoffice.services.classify.training import training_files
        from ipoffice.services.concept_search import subclass_model

        files = training_files(self.settings.ipc_training, self.settings.shared_dir)
        return subclass_model(self.register, self.embedder(), files, groups, self.semantic.load())

    def subclass_model(self, groups: Mapping[str, str] | None = None) -> SubclassModel:
        """The IPC-subclass model of concept search, built once per register in this process (with
        ``groups``: each time), from the register and the labelled files of ``Settings.ipc_training``
        (default the shared cn_ipc_dev.csv). Waits for the build: minutes on a cold vector cache."""
        if groups is not None:
            return self._build_subclass_model(groups)
        key = self._model_key
        with self._lock:
            model = _MODELS.get(key)
            if model is None:
                model = self._build_subclass_model()
                with _MODELS_LOCK:
                    _MODELS[key] = model
            return model

    def ready_subclass_model(self) -> SubclassModel | None:
        """The subclass model if it is built; otherwise None, and its build starts in the background (once per
        register and process) when the register has vectors. For requests, which never wait for a build."""
        key = self._model_key
        with _MODELS_LOCK:
            model = _MODELS.get(key)
            if model is not None or key in _PREPARING:
                return model
            if self.semantic.load() is None:
                return None
            _PREPARING.add(key)

        def prepare() -> None:
            try:
                self.subclass_model()
            except Exception:  # noqa: BLE001 - a failed build is retried by the next request
                pass
            finally:
                with _MODELS_LOCK:
                    _PREPARING.discard(key)

        threading.Thread(target=prepare, name="ipoffice-subclass-model", daemon=True).start()
        return None

    def _ready_subclass_model_or_raise(self) -> SubclassModel:
        from ipoffice.domain.search import ModelPreparing

        model = self.ready_subclass_model()
        if model is None:
            raise ModelPreparing()
        return model

    def claim_charter(self) -> ClaimCharter:
        from ipoffice.services.claim_chart import ClaimCharter

        return ClaimCharter(self.embedder())

    # --- utilization: need → patent matching, value indicators (issue #16) ---------------------------

    def open_licences(self) -> OpenLicences:
        """Which rights are under open licence (:class:`~ipoffice.domain.matching.OpenLicences`): open-licence
        declarations registered in the recordals register and not withdrawn."""
        from ipoffice.services.recordals import RegisteredOpenLicences

        return RegisteredOpenLicences(self.procedures)

    @cached_property
    def value_indicators(self) -> ValueIndicators:
        """Value indicators of a right, each explained (``ipoffice value``)."""
        from ipoffice.services.recorded_transactions import RecordedTransactionsOf
        from ipoffice.services.value import ValueIndicators

        recorded = RecordedTransactionsOf(lambda: self.recordals, lambda: self.title_chain)
        return ValueIndicators(self.register, self.today, recorded)

    @cached_property
    def inventory(self) -> InventoryService:
        """Universities' stock-patent inventories: import, suggested grade, self-assessment, two-level review,
        the resource library (``ipoffice inventory``)."""
        from ipoffice.adapters.inventory_grading_loader import load_grading
        from ipoffice.services.inventory import InventoryService

        return InventoryService(self.procedures, self.register, self.value_indicators, load_grading, self.today)

    @cached_property
    def marketplace(self) -> Marketplace:
        """The open-licence marketplace and royalty guidance (``services.marketplace``); further sources of offers
        (a university's resource library) join through ``Marketplace.sources``."""
        from ipoffice.services.library_offers import LibraryOffers
        from ipoffice.services.marketplace import Marketplace

        library = LibraryOffers(self.inventory, self.register, self.st27_status.status)
        return Marketplace(self.procedures, self.value_indicators, self.embedder,
                           lambda: self.procedures.catalogue.rules("cn"),
                           self.today, st27_status=self.st27_status.status, sources=[library])

    def matcher(self) -> Matcher:
        """Need → patent matching over the semantic index (built by ``ipoffice index rebuild``; raises
        SemanticIndexMissing when it never was), the keyword index when there is one, and the office's own
        granted cases."""
        from ipoffice.adapters.match_log import MatchLog
        from ipoffice.domain.search import SearchError
        from ipoffice.services.matching import Matcher

        keyword = None
        with suppress(SearchError):
            keyword = self.keyword_engine()
        from ipoffice.services.case_rights import granted_cases

        return Matcher(self.register, self.semantic.require_retriever(), keyword, self.embedder(),
                       self.open_licences(), self.value_indicators, MatchLog(self.register.engine), self.today,
                       case_rights=lambda: granted_cases(self.procedures))

    # --- IPC classification -------------------------------------------------------------------------

    @property
    def classifier_path(self) -> Path:
        from ipoffice.services.classify import model_path

        return model_path(self.settings.var_dir)

    @property
    def classifier_trained(self) -> bool:
        """Whether a model is saved (training takes minutes: a web request never starts it)."""
        return self.classifier_path.exists()

    def classifier(self, *, retrain: bool = False) -> IpcClassifier:
        """The IPC classifier, loaded once per office; trained from the register (and ``Settings.ipc_training``,
        default the shared ``eval/cn_ipc_dev.csv``) when none is saved or ``retrain``."""
        from ipoffice.services.classify import open_classifier
        from ipoffice.services.classify.training import training_files

        with self._lock:
            if self._classifier is None or retrain:
                files = training_files(self.settings.ipc_training, self.settings.shared_dir)
                self._classifier = open_classifier(self.register, self.classifier_path, self.embedder(),
                                                   training_files=files, retrain=retrain)
            return self._classifier
