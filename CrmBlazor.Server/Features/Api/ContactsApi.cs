using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Common;
using CrmBlazor.Domain.Customers;
using CrmBlazor.Server.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CrmBlazor.Server.Features.Api;

/// <summary>
/// <c>/api/v1/customers/{customerId}/contacts</c>: a customer's contacts through the same <see cref="CustomerQueries"/> and
/// <see cref="CustomerService"/> as the 360 page's contact list, so scope (404 outside it), the matrix and audit apply.
/// Versioning: a contact carries its own version, and that is what the Domain checks, as the page does. Adding a contact
/// takes no <c>If-Match</c> (it overwrites nothing; the page's dialog checks no version either); marking one left needs
/// <c>If-Match</c> with the contact's ETag (<c>"{version}"</c> of the listed contact), 428 without, 412 when stale. Both
/// changes also move the customer's own version, so an update of the customer with an ETag read before them gets 412.
/// </summary>
public static class ContactsApi
{
    private const string Tag = "Contacts";
    private const string FieldPrefix = "Contact.";

    public static RouteGroupBuilder MapContactsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/customers/{customerId:guid}/contacts", ListAsync).WithTags(Tag).WithName("ListContacts")
            .WithSummary("The customer's contacts: key ones first, those who left kept and flagged (hasLeft).")
            .WithMetadata(new RequirePermissionAttribute(Module.Customers, Operation.View))
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/customers/{customerId:guid}/contacts", AddAsync).WithTags(Tag).WithName("AddContact")
            .WithSummary("Adds a contact to the customer (phones and e-mail checked and normalised as in the form).")
            .WithMetadata(new RequirePermissionAttribute(Module.Customers, Operation.Edit))
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPut("/customers/{customerId:guid}/contacts/{contactId:guid}/left", MarkLeftAsync).WithTags(Tag).WithName("MarkContactLeft")
            .WithSummary("Marks the contact as having left (kept for history, no longer key); a customer's last key contact cannot leave. If-Match: the contact's ETag.")
            .WithMetadata(new RequirePermissionAttribute(Module.Customers, Operation.Edit))
            .Produces<ContactResource>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed).ProducesProblem(StatusCodes.Status428PreconditionRequired);
        return api;
    }

    private static async Task<Ok<ContactListResource>> ListAsync(Guid customerId, CustomerQueries queries, CancellationToken cancellationToken)
    {
        var details = await queries.GetDetailsAsync(customerId, cancellationToken);
        return TypedResults.Ok(new ContactListResource([.. details.Contacts.OrderBy(k => k.HasLeft).Select(ContactResource.From)]));
    }

    private static async Task<Created<ContactResource>> AddAsync(Guid customerId, NewContact body, CustomerService service, CustomerQueries queries,
        HttpResponse response, CancellationToken cancellationToken)
    {
        var added = await WithBodyFieldsAsync(() => service.AddContactAsync(customerId, body.ToInput(), cancellationToken));
        var contact = await ContactAsync(queries, customerId, added.Id, cancellationToken);
        ETags.Set(response, contact.Version);
        return TypedResults.Created($"/api/v1/customers/{customerId}/contacts", ContactResource.From(contact));
    }

    private static Task<IResult> MarkLeftAsync(Guid customerId, Guid contactId, HttpContext context, CustomerService service, CustomerQueries queries,
        CancellationToken cancellationToken) =>
        ETags.IfMatchingAsync(context, () => ContactAsync(queries, customerId, contactId, cancellationToken), contact => contact.Version,
            version => WithBodyFieldsAsync(() => service.MarkContactLeftAsync(contactId, version, cancellationToken)), ContactResource.From);

    /// <summary>The contact of this customer, within the caller's scope; another customer's contact is not found here.</summary>
    private static async Task<ContactDetails> ContactAsync(CustomerQueries queries, Guid customerId, Guid contactId, CancellationToken cancellationToken) =>
        (await queries.GetDetailsAsync(customerId, cancellationToken)).Contacts.SingleOrDefault(k => k.Id == contactId)
        ?? throw new NotFoundException(nameof(Contact), contactId);

    /// <summary>The service names fields as the form does (<c>Contact.Mobile</c>); the body has them at its top (<c>mobile</c>).</summary>
    private static async Task<T> WithBodyFieldsAsync<T>(Func<Task<T>> change)
    {
        try
        {
            return await change();
        }
        catch (ValidationFailedException validation)
        {
            throw new ValidationFailedException([.. validation.Errors.Select(e =>
                e.Field.StartsWith(FieldPrefix, StringComparison.Ordinal) ? e with { Field = e.Field[FieldPrefix.Length..] } : e)]);
        }
    }
}
