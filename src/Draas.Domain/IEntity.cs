namespace Draas.Domain;

/// <summary>A resource the API lists and finds by its id.</summary>
public interface IEntity
{
    Guid Id { get; }
}
