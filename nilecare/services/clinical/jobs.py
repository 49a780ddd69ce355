"""The file dispatcher: every ``file_dispatcher_interval`` it enqueues again the record exports
and morbidity reports whose task was lost, and deletes the content of expired files."""

from __future__ import annotations

from nilecare.kernel.service import ServiceContext
from nilecare.kernel.tasks import dispatch
from nilecare.services.clinical.service.files import FileTaskContext, requeue_lost_jobs


class FileDispatcher(dispatch.Dispatcher):
    def __init__(self, context: ServiceContext, run: FileTaskContext) -> None:
        super().__init__("clinical-file-dispatcher", lambda: run.settings.file_dispatcher_interval)
        self.context = context
        self.files = run

    async def dispatch_once(self) -> int:
        return await requeue_lost_jobs(
            self.files, self.context.tasks, skip_locked=self.context.database.supports_skip_locked
        )
