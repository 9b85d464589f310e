using System.Reflection;
using System.Runtime.CompilerServices;
using Pacs.Archive.Ingest;
using Pacs.Server.Hosting;

namespace Pacs.Web.Tests;

/// <summary>
/// The start-up compilation reaches the runtime's generic code behind async methods by name: these tests fail when a
/// runtime update renames it, instead of the preparation silently doing nothing.
/// </summary>
public sealed class CodePreparationTests
{
    [Fact]
    public void The_runtime_code_behind_an_async_method_of_the_archive_is_compiled_at_start_up()
    {
        var commit = typeof(IngestPipeline).GetNestedTypes(BindingFlags.NonPublic)
            .Single(t => typeof(IAsyncStateMachine).IsAssignableFrom(t) && t.Name.StartsWith("<CommitAsync>", StringComparison.Ordinal));
        Assert.True(commit.IsValueType, "Release builds make state machines structs, whose runtime code is generic over them.");

        // Start, the box lookup, the box's class constructor and its three entry points, and the await of the commit task.
        Assert.True(AsyncStateMachinePreparation.Prepare(commit) >= 7);
    }

    [Fact]
    public void Types_that_are_not_async_state_machines_are_left_alone()
    {
        Assert.Equal(0, AsyncStateMachinePreparation.Prepare(typeof(IngestPipeline)));
        Assert.Equal(0, AsyncStateMachinePreparation.Prepare(typeof(int)));
    }
}
