"""The controlled values of the data files and the ontology terms they map to."""

from __future__ import annotations

from rdflib import URIRef
from rdflib.namespace import ORG

from helixgraph.vocab.namespace import HX

ORG_KINDS = {
    "university": "University",
    "university_of_applied_sciences": "UniversityOfAppliedSciences",
    "vocational_college": "VocationalCollege",
    "research_institute": "ResearchInstitute",
    "research_infrastructure": "ResearchInfrastructure",
    "biobank": "Biobank",
    "research_centre": "ResearchCentre",
    "faculty": "Faculty",
    "hospital": "Hospital",
    "academic_hospital": "AcademicHospital",
    "government_body": "GovernmentBody",
    "ministry": "Ministry",
    "provincial_government": "ProvincialGovernment",
    "municipal_government": "MunicipalGovernment",
    "regional_funding_body": "RegionalFundingBody",
    "intermediary": "Intermediary",
    "development_agency": "DevelopmentAgency",
    "investment_company": "InvestmentCompany",
    "business_association": "BusinessAssociation",
    "firm": "Firm",
    "startup": "StartUp",
    "sme": "SME",
    "large_firm": "LargeFirm",
    "cluster": "Cluster",
    "cooperative": "Cooperative",
    "network": "Network",
    "regional_ecosystem": "RegionalEcosystem",
    "campus": "Campus",
    "consortium": "Consortium",
}
HELICES = {
    "academia": "academia",
    "industry": "industry",
    "government": "government",
    "civil_society": "civilSociety",
}
PLACE_KINDS = {"city": "City", "province": "Province", "region": "Region", "country": "Country"}
INITIATIVE_KINDS = {
    "action_plan": "ActionPlan",
    "funding_call": "FundingCall",
    "programme": "Programme",
    "project": "Project",
    "event": "Event",
    "proposal": "Proposal",
    "theme": "Theme",
}
ROLES = {
    "chair": "chair",
    "ceo": "ceo",
    "president": "president",
    "board_member": "boardMember",
    "project_manager": "projectManager",
    "business_director": "businessDirector",
    "business_manager": "businessManager",
    "partner": "partner",
    "theme_lead": "themeLead",
    "state_secretary": "stateSecretary",
    "author": "author",
}
MEASURES = {
    "employees_fte": "employeesFTE",
    "jobs": "jobs",
    "revenue": "revenue",
    "employment_growth": "employmentGrowth",
    "member_count": "memberCount",
    "participants": "participants",
    "researchers": "researchers",
    "budget": "budget",
    "award_count": "awardCount",
    "generations": "generations",
    "follow_up_years": "followUpYears",
    "visitors": "visitors",
}
UNITS = ("FTE", "EUR", "percent", "persons", "count", "years")
QUALIFIERS = ("approximately", "nearly", "at_least", "more_than")
# relation → (property, allowed subject kinds, allowed object kinds)
RELATIONS: dict[str, tuple[URIRef, tuple[str, ...], tuple[str, ...]]] = {
    "member_of": (ORG.memberOf, ("org", "person"), ("org",)),
    "partner_of": (HX.partnerOf, ("org",), ("org",)),
    "collaborates_with": (HX.collaboratesWith, ("org",), ("org",)),
    "sub_organisation_of": (ORG.subOrganizationOf, ("org",), ("org",)),
    "spin_off_of": (HX.spinOffOf, ("org",), ("org",)),
    "participates_in": (HX.participatesIn, ("org", "person"), ("initiative",)),
    "leads": (HX.leads, ("org", "person"), ("initiative",)),
    "located_in": (HX.locatedIn, ("org", "initiative"), ("place",)),
    "part_of": (HX.partOf, ("initiative", "place"), ("initiative", "place")),
    "hosts": (HX.hosts, ("org",), ("initiative",)),
}
