using Quasar.Tests.Support.PowerLoss;

namespace Quasar.PropertyTests.Models;

/// <summary>A step that cuts the power between two calls.</summary>
internal interface IPowerLossStep
{
    PowerLossMode Mode { get; }
}

/// <summary>A step that cuts the power during <see cref="Call"/>, at its <see cref="AtChange"/>-th change of the disk.</summary>
internal interface IPowerLossDuringStep<out TCommand>
{
    TCommand Call { get; }

    int AtChange { get; }

    PowerLossMode Mode { get; }
}

/// <summary>A model state as text: a recovered store must describe itself exactly as one of the allowed states does.</summary>
internal interface IRecoveredState
{
    string Describe();
}

/// <summary>What a power loss may leave of one store: the states recovery may show, reset at each durable point.</summary>
internal interface IModelOutcomes<TModel>
{
    /// <summary>A durable point (Db.Sync, a clean close, a recovery): <paramref name="state"/> is what the disk holds.</summary>
    void Synced(TModel state);

    /// <summary>Every state recovery may show.</summary>
    IEnumerable<TModel> Candidates();
}
