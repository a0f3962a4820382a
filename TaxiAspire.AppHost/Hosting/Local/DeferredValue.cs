namespace TaxiAspire.AppHost.Hosting.Local;

/// <summary>
/// A value known only once the local infrastructure has started (mock broker ports, a generated password), usable
/// inside a <see cref="ReferenceExpression"/>: readers wait for it instead of the model guessing it up front.
/// </summary>
internal sealed class DeferredValue(string manifestExpression) : IValueProvider, IManifestExpressionProvider
{
    private readonly TaskCompletionSource<string> _value = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string ValueExpression { get; } = manifestExpression;

    public bool IsResolved => _value.Task.IsCompletedSuccessfully;

    public void Resolve(string value) => _value.TrySetResult(value);

    public void Fail(Exception error) => _value.TrySetException(error);

    public async ValueTask<string?> GetValueAsync(CancellationToken cancellationToken = default) =>
        await _value.Task.WaitAsync(cancellationToken);
}
