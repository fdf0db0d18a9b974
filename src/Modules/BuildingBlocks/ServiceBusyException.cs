namespace BuildingBlocks;

/// <summary>
/// A bounded resource (e.g. the password-hashing slots and their queue) is full: the host answers 503 `busy` with
/// Retry-After at once, instead of letting requests pile up behind a burst.
/// </summary>
public sealed class ServiceBusyException(string message) : Exception(message);
