namespace CrmBlazor.Domain.Access;

/// <summary>The five roles of SPEC "Users and roles". Azure AD app roles carry these exact names.</summary>
public enum Role
{
    Admin,
    Supervisor,
    SalesRep,
    CustomerService,
    Analyst,
}

/// <summary>The areas of the product a permission is granted on (SPEC A2).</summary>
public enum Module
{
    Customers,
    Interactions,
    Demands,
    Tiering,
    Pipeline,
    Tickets,
    Importing,
    Reports,
    Audit,
    Administration,
    Feedback,
}

public enum Operation
{
    View,
    Create,
    Edit,
    Delete,
    Export,
    Import,
    Configure,
}
