using System.Reflection;
using System.Runtime.CompilerServices;

namespace Pacs.Server.Hosting;

/// <summary>
/// Compiles the runtime's generic code behind one of our async methods: the method builder's start and await routines
/// and the box that carries the state machine across awaits are generic over the state machine (a struct), so every
/// async method has its own copy, compiled at its first call — about 190 methods during the first stores after a
/// start. The runtime types are reached by name; what is not found is left to be compiled at first use, as before.
/// </summary>
internal static class AsyncStateMachinePreparation
{
    private const BindingFlags Members = BindingFlags.DeclaredOnly | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static;
    private static readonly Type? VoidTaskResult = typeof(Task).Assembly.GetType("System.Threading.Tasks.VoidTaskResult");
    private static readonly Type? BuilderCore = typeof(Task).Assembly.GetType("System.Runtime.CompilerServices.AsyncMethodBuilderCore");
    private static readonly string[] BoxMethods = ["MoveNext", "ExecutionContextCallback", "ExecuteFromThreadPool"];
    private static readonly Type? BoxDefinition = typeof(AsyncTaskMethodBuilder<>).GetNestedType("AsyncStateMachineBox`1", BindingFlags.NonPublic);

    /// <summary>Prepares the generic code for <paramref name="stateMachine"/>; the number of methods compiled.</summary>
    public static int Prepare(Type stateMachine)
    {
        if (!stateMachine.IsValueType || stateMachine.ContainsGenericParameters || !typeof(IAsyncStateMachine).IsAssignableFrom(stateMachine)
            || ResultType(stateMachine) is not { } result)
        {
            return 0;
        }

        var count = 0;
        if (BuilderCore?.GetMethod("Start", BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static) is { IsGenericMethodDefinition: true } start)
        {
            count += TryPrepare(() => start.MakeGenericMethod(stateMachine));
        }

        var builder = typeof(AsyncTaskMethodBuilder<>).MakeGenericType(result);
        foreach (var method in builder.GetMethods(Members).Where(m => m.IsGenericMethodDefinition))
        {
            var arguments = method.GetGenericArguments().Length;
            if (method.Name == "GetStateMachineBox" && arguments == 1)
            {
                count += TryPrepare(() => method.MakeGenericMethod(stateMachine));
            }
            else if (method.Name == "AwaitUnsafeOnCompleted" && arguments == 1)
            {
                // The public overload is inlined into the state machine; this one, generic over the awaiter only, is not.
                foreach (var awaiter in AwaiterTypes(stateMachine))
                {
                    count += TryPrepare(() => method.MakeGenericMethod(awaiter));
                }
            }
        }

        if (BoxDefinition is not null)
        {
            var box = BoxDefinition.MakeGenericType(result, stateMachine);
            count += TryRun(() => RuntimeHelpers.RunClassConstructor(box.TypeHandle));
            foreach (var method in box.GetMethods(Members).Where(m => BoxMethods.Contains(m.Name) && !m.IsGenericMethodDefinition))
            {
                count += TryPrepare(() => method);
            }
        }

        return count;
    }

    /// <summary>The result type of the task box the method's builder uses, or null for builders prepared otherwise.</summary>
    private static Type? ResultType(Type stateMachine)
    {
        var builder = stateMachine.GetField("<>t__builder", BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)?.FieldType;
        if (builder is null)
        {
            return null;
        }

        if (builder.IsGenericType)
        {
            var definition = builder.GetGenericTypeDefinition();
            return definition == typeof(AsyncTaskMethodBuilder<>) || definition == typeof(AsyncValueTaskMethodBuilder<>) ? builder.GetGenericArguments()[0] : null;
        }

        return builder == typeof(AsyncTaskMethodBuilder) || builder == typeof(AsyncValueTaskMethodBuilder) || builder == typeof(AsyncVoidMethodBuilder)
            || builder == typeof(AsyncIteratorMethodBuilder)
            ? VoidTaskResult
            : null;
    }

    /// <summary>The awaiters the compiler keeps in fields of the state machine, one per awaited type.</summary>
    private static IEnumerable<Type> AwaiterTypes(Type stateMachine) =>
        stateMachine.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)
            .Where(f => f.Name.StartsWith("<>u__", StringComparison.Ordinal) && !f.FieldType.ContainsGenericParameters)
            .Select(f => f.FieldType)
            .Distinct();

    private static int TryPrepare(Func<MethodInfo> method) => TryRun(() => RuntimeHelpers.PrepareMethod(method().MethodHandle));

    private static int TryRun(Action action)
    {
        try
        {
            action();
            return 1;
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or TypeLoadException or BadImageFormatException
                                       or MissingMethodException or NotSupportedException or TypeInitializationException)
        {
            return 0;
        }
    }
}
