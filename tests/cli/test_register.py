"""Every command that `crm.cli.register` adds, with Flask's own, answers --help."""

import click


def test_every_command_has_help(app, runner):
    def paths(group: click.Group, prefix: list[str]):
        context = click.Context(group)
        for name in group.list_commands(context):
            command = group.get_command(context, name)
            yield [*prefix, name]
            if isinstance(command, click.Group):
                yield from paths(command, [*prefix, name])

    checked = []
    for path in paths(app.cli, []):
        result = runner.invoke(args=[*path, "--help"])
        assert result.exit_code == 0, (path, result.output)
        assert "Usage:" in result.output
        checked.append(" ".join(path))
    assert {"users create", "demo load", "db upgrade"} <= set(checked)
