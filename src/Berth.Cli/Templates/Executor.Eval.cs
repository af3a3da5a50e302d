namespace Berth.Cli.Templates;

/// <summary>Evaluation of pipelines, commands, fields, variables and function calls.</summary>
internal sealed partial class Executor
{
    /// <summary>Marks "no value piped in" apart from a piped-in nil.</summary>
    private static readonly object Missing = new();

    private object? EvalPipeline(object? dot, PipeNode pipe)
    {
        _at = pipe;
        object? value = Missing;
        foreach (var command in pipe.Commands)
        {
            // A nil out of an interface{} is no value to Go, as is a missing key.
            value = EvalCommand(dot, command, value) ?? NoValue.Instance;
        }
        foreach (var variable in pipe.Decl)
        {
            if (pipe.IsAssign)
                SetVar(variable.Idents[0], value);
            else
                _vars.Add((variable.Idents[0], value));
        }
        return value;
    }

    private void SetVar(string name, object? value)
    {
        for (var i = _vars.Count - 1; i >= 0; i--)
        {
            if (_vars[i].Name == name)
            {
                _vars[i] = (name, value);
                return;
            }
        }
        throw Error($"undefined variable: {name}");
    }

    private object? VarValue(string name)
    {
        for (var i = _vars.Count - 1; i >= 0; i--)
            if (_vars[i].Name == name)
                return _vars[i].Value;
        throw Error($"undefined variable: {name}");
    }

    private object? EvalCommand(object? dot, CommandNode command, object? final)
    {
        var first = command.Args[0];
        switch (first)
        {
            case FieldNode field:
                _at = field;
                return EvalFieldChain(dot, dot, field.Idents, command.Args, final);
            case ChainNode chain:
                return EvalChain(dot, chain, command.Args, final);
            case IdentifierNode identifier:
                return EvalFunction(dot, identifier, command, final);
            case PipeNode pipe:
                NotAFunction(command.Args, final);
                return EvalPipeline(dot, pipe);
            case VariableNode variable:
                return EvalVariable(dot, variable, command.Args, final);
        }
        _at = first;
        NotAFunction(command.Args, final);
        return first switch
        {
            BoolNode b => b.Value,
            DotNode => dot,
            NilNode => throw Error("nil is not a command"),
            NumberNode n => n.Value,
            StringNode s => s.Value,
            _ => throw Error($"can't evaluate command {GoQuote.String(first.ToString()!)}"),
        };
    }

    private void NotAFunction(List<Node> args, object? final)
    {
        if (args.Count > 1 || final != Missing)
            throw Error($"can't give argument to non-function {args[0]}");
    }

    private object? EvalArg(object? dot, Node node)
    {
        _at = node;
        return node switch
        {
            DotNode => dot,
            NilNode => null,
            FieldNode field => EvalFieldChain(dot, dot, field.Idents, [field], Missing),
            VariableNode variable => EvalVariable(dot, variable, [variable], Missing),
            PipeNode pipe => EvalPipeline(dot, pipe),
            IdentifierNode identifier => EvalFunction(dot, identifier, new CommandNode(identifier.Pos, [identifier]), Missing),
            ChainNode chain => EvalChain(dot, chain, [chain], Missing),
            BoolNode b => b.Value,
            NumberNode n => n.Value,
            StringNode s => s.Value,
            _ => throw Error($"can't handle {node} for arg"),
        };
    }

    private object? EvalVariable(object? dot, VariableNode variable, List<Node> args, object? final)
    {
        _at = variable;
        var value = VarValue(variable.Idents[0]);
        if (variable.Idents.Length == 1)
        {
            NotAFunction(args, final);
            return value;
        }
        return EvalFieldChain(dot, value, variable.Idents[1..], args, final);
    }

    private object? EvalChain(object? dot, ChainNode chain, List<Node> args, object? final)
    {
        _at = chain;
        if (chain.Target is NilNode)
            throw Error($"indirection through explicit nil in {chain}");
        var target = EvalArg(dot, chain.Target);
        return EvalFieldChain(dot, target, chain.Fields, args, final);
    }

    private object? EvalFieldChain(object? dot, object? receiver, string[] idents, List<Node> args, object? final)
    {
        // What a map holds is an interface{} to Go, and its errors name it so.
        var fromMap = false;
        for (var i = 0; i < idents.Length - 1; i++)
        {
            var isMap = Values.IsMap(receiver);
            receiver = EvalField(dot, idents[i], [], Missing, receiver, fromMap);
            fromMap = isMap;
        }
        return EvalField(dot, idents[^1], args, final, receiver, fromMap);
    }

    /// <summary>
    /// <c>.Name</c> on a receiver: a key of a map (missing: no value), a field or method of an
    /// <see cref="ITemplateObject"/>. <paramref name="args"/> starts with the field node itself.
    /// </summary>
    private object? EvalField(object? dot, string name, List<Node> args, object? final, object? receiver, bool fromMap)
    {
        if (receiver is NoValue)
            return NoValue.Instance;
        var hasArgs = args.Count > 1 || final != Missing;
        switch (receiver)
        {
            case null:
                throw Error($"nil pointer evaluating interface {{}}.{name}");
            case ITemplateObject o:
                return EvalObjectField(dot, o, name, args, final, hasArgs);
            case var _ when Values.IsMap(receiver):
                if (hasArgs)
                    throw Error($"{name} is not a method but has arguments");
                return Values.TryGetKey(receiver, name, out var value) ? value : NoValue.Instance;
            default:
                throw Error($"can't evaluate field {name} in type {(fromMap ? "interface {}" : Values.GoTypeName(receiver))}");
        }
    }

    private object? EvalObjectField(object? dot, ITemplateObject o, string name, List<Node> args, object? final, bool hasArgs)
    {
        var at = _at;
        if (!hasArgs)
        {
            if (o.TryGetField(name, out var field) || o.TryInvoke(name, [], out field))
                return Values.Normalize(field);
            throw Error($"can't evaluate field {name} in type {o.TypeName}");
        }
        var values = EvalArgs(dot, args, final);
        _at = at;
        try
        {
            if (o.TryInvoke(name, values, out var result))
                return Values.Normalize(result);
        }
        catch (Exception e) when (e is not TemplateException)
        {
            throw Error($"error calling {name}: {e.Message}");
        }
        if (o.TryGetField(name, out _))
            throw Error($"{name} has arguments but cannot be invoked as function");
        throw Error($"can't evaluate field {name} in type {o.TypeName}");
    }

    /// <summary>The arguments after the first word, then the piped-in value; no value becomes nil.</summary>
    private List<object?> EvalArgs(object? dot, List<Node> args, object? final)
    {
        var values = new List<object?>(args.Count);
        for (var i = 1; i < args.Count; i++)
            values.Add(EvalArg(dot, args[i]));
        if (final != Missing)
            values.Add(final);
        return values;
    }

    private object? EvalFunction(object? dot, IdentifierNode identifier, CommandNode command, object? final)
    {
        _at = identifier;
        if (!_functions.TryGetValue(identifier.Name, out var function))
            throw Error($"{GoQuote.String(identifier.Name)} is not a defined function");
        var count = command.Args.Count - 1 + (final != Missing ? 1 : 0);
        if (function.IsVariadic ? count < function.MinArgs : count != function.MinArgs)
        {
            var want = function.IsVariadic ? $"at least {function.MinArgs}" : function.MinArgs.ToString(System.Globalization.CultureInfo.InvariantCulture);
            throw Error($"wrong number of args for {identifier.Name}: want {want} got {count}");
        }
        if (function.ShortCircuit is { } isOr)
            return EvalAndOr(dot, isOr, command, final);
        // Go hands a function the zero value for a missing one: nil.
        var values = EvalArgs(dot, command.Args, final).Select(v => v is NoValue ? null : v).ToList();
        try
        {
            return Values.Normalize(function.Invoke(values));
        }
        catch (TemplateFunctionException e) when (e.ArgumentIndex >= 0)
        {
            _at = e.ArgumentIndex + 1 < command.Args.Count ? command.Args[e.ArgumentIndex + 1] : command;
            throw Error(e.Message);
        }
        catch (Exception e) when (e is not TemplateException)
        {
            _at = command;
            throw Error($"error calling {identifier.Name}: {e.Message}");
        }
    }

    /// <summary>and/or stop at the first argument that decides the result, as Go's do.</summary>
    private object? EvalAndOr(object? dot, bool isOr, CommandNode command, object? final)
    {
        object? value = null;
        for (var i = 1; i < command.Args.Count; i++)
        {
            value = EvalArg(dot, command.Args[i]);
            if (Values.IsTrue(value) == isOr)
                return value;
        }
        return final != Missing ? final : value;
    }
}
