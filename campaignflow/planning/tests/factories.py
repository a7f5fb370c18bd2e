"""Plans built straight in the database, for the query-count tests."""

from campaignflow.planning.models import Task, TaskDependency


def linked_tasks(campaign, n: int, *, link_type: str = "FS", **fields) -> list[Task]:
    """n tasks (T0000 任务0, T0001 任务1, … in plan order), each linked to the one before by `link_type`.
    A field given as a function gets the task's number: `phase=lambda i: f"阶段{i % 4}"`."""
    tasks = Task.objects.bulk_create(
        [
            Task(
                campaign=campaign,
                code=f"T{i:04d}",
                name=f"任务{i}",
                **{"sort_order": i, **{k: v(i) if callable(v) else v for k, v in fields.items()}},
            )
            for i in range(n)
        ]
    )
    TaskDependency.objects.bulk_create(
        [
            TaskDependency(campaign=campaign, predecessor=tasks[i - 1], successor=tasks[i], type=link_type)
            for i in range(1, n)
        ]
    )
    return tasks
