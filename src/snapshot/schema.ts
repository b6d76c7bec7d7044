/**
 * The snapshot grammar as a JSON Schema (draft-07). This module is the source of truth so the core never reads a file
 * at run time; schemas/snapshot.schema.json is a copy for other tools, kept equal by test/recommend/schemas.test.ts.
 * Field names are the AWS API names (see ./types.ts).
 */
export const SNAPSHOT_SCHEMA = {
  "$schema": "http://json-schema.org/draft-07/schema#",
  "$id": "https://github.com/leastpriv/leastpriv/schemas/snapshot.schema.json",
  "title": "leastpriv snapshot",
  "description": "A principal's identity policies and its GetServiceLastAccessedDetails report, in the raw AWS API shapes. See src/snapshot/types.ts.",
  "type": "object",
  "required": [
    "schemaVersion",
    "principal",
    "policies",
    "lastAccessed",
    "collection"
  ],
  "additionalProperties": false,
  "properties": {
    "$schema": {
      "type": "string"
    },
    "schemaVersion": {
      "const": 1
    },
    "principal": {
      "$ref": "#/definitions/principal"
    },
    "policies": {
      "type": "array",
      "items": {
        "$ref": "#/definitions/policy"
      }
    },
    "permissionsBoundary": {
      "$ref": "#/definitions/boundary"
    },
    "lastAccessed": {
      "$ref": "#/definitions/report"
    },
    "collection": {
      "$ref": "#/definitions/collection"
    }
  },
  "definitions": {
    "isoDate": {
      "type": "string",
      "pattern": "^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?(Z|[+-]\\d{2}:?\\d{2})$"
    },
    "principalArn": {
      "type": "string",
      "pattern": "^arn:aws(-[a-z]+)*:iam::\\d{12}:(role|user|group)/([\\x21-\\x7E]+/)*[\\w+=,.@-]{1,128}$"
    },
    "policyArn": {
      "type": "string",
      "pattern": "^arn:aws(-[a-z]+)*:iam::(\\d{12}|aws):policy/([\\x21-\\x7E]+/)*[\\w+=,.@-]{1,128}$"
    },
    "name": {
      "type": "string",
      "pattern": "^[\\w+=,.@-]{1,128}$"
    },
    "path": {
      "type": "string",
      "pattern": "^(/|/[\\x21-\\x7E]+/)$"
    },
    "document": {
      "description": "the decoded policy object, or the string IAM returned (JSON or URL-encoded JSON)",
      "type": [
        "object",
        "string"
      ]
    },
    "principal": {
      "type": "object",
      "required": [
        "Type",
        "Arn",
        "Name",
        "Path",
        "CreateDate"
      ],
      "additionalProperties": false,
      "properties": {
        "Type": {
          "enum": [
            "role",
            "user",
            "group"
          ]
        },
        "Arn": {
          "$ref": "#/definitions/principalArn"
        },
        "Name": {
          "$ref": "#/definitions/name"
        },
        "Path": {
          "$ref": "#/definitions/path"
        },
        "CreateDate": {
          "$ref": "#/definitions/isoDate"
        },
        "Id": {
          "type": "string"
        },
        "Tags": {
          "type": "array",
          "items": {
            "type": "object",
            "required": [
              "Key",
              "Value"
            ],
            "additionalProperties": false,
            "properties": {
              "Key": {
                "type": "string"
              },
              "Value": {
                "type": "string"
              }
            }
          }
        },
        "PermissionsBoundaryArn": {
          "$ref": "#/definitions/policyArn"
        }
      }
    },
    "source": {
      "type": "object",
      "required": [
        "Type"
      ],
      "discriminator": {
        "propertyName": "Type"
      },
      "oneOf": [
        {
          "properties": {
            "Type": {
              "const": "principal"
            }
          },
          "additionalProperties": false
        },
        {
          "required": [
            "GroupName",
            "GroupArn"
          ],
          "additionalProperties": false,
          "properties": {
            "Type": {
              "const": "group"
            },
            "GroupName": {
              "$ref": "#/definitions/name"
            },
            "GroupArn": {
              "$ref": "#/definitions/principalArn"
            }
          }
        }
      ]
    },
    "policy": {
      "type": "object",
      "required": [
        "Kind"
      ],
      "discriminator": {
        "propertyName": "Kind"
      },
      "oneOf": [
        {
          "required": [
            "PolicyName",
            "PolicyDocument",
            "Source"
          ],
          "additionalProperties": false,
          "properties": {
            "Kind": {
              "const": "inline"
            },
            "PolicyName": {
              "$ref": "#/definitions/name"
            },
            "PolicyDocument": {
              "$ref": "#/definitions/document"
            },
            "Source": {
              "$ref": "#/definitions/source"
            }
          }
        },
        {
          "required": [
            "ManagedBy",
            "PolicyArn",
            "PolicyName",
            "AttachmentCount",
            "DefaultVersionId",
            "PolicyDocument",
            "Source"
          ],
          "additionalProperties": false,
          "properties": {
            "Kind": {
              "const": "managed"
            },
            "ManagedBy": {
              "enum": [
                "customer",
                "aws"
              ]
            },
            "PolicyArn": {
              "$ref": "#/definitions/policyArn"
            },
            "PolicyName": {
              "$ref": "#/definitions/name"
            },
            "Path": {
              "$ref": "#/definitions/path"
            },
            "AttachmentCount": {
              "type": "integer",
              "minimum": 1
            },
            "PermissionsBoundaryUsageCount": {
              "description": "GetPolicy's PermissionsBoundaryUsageCount: how many principals use the policy as their permissions boundary (AttachmentCount does not count them)",
              "type": "integer",
              "minimum": 0
            },
            "DefaultVersionId": {
              "type": "string",
              "pattern": "^v[1-9][0-9]*$"
            },
            "DefaultVersionCreateDate": {
              "$ref": "#/definitions/isoDate"
            },
            "PolicyDocument": {
              "$ref": "#/definitions/document"
            },
            "Source": {
              "$ref": "#/definitions/source"
            }
          }
        }
      ]
    },
    "boundary": {
      "type": "object",
      "required": [
        "PolicyArn",
        "PolicyName"
      ],
      "additionalProperties": false,
      "properties": {
        "PolicyArn": {
          "$ref": "#/definitions/policyArn"
        },
        "PolicyName": {
          "$ref": "#/definitions/name"
        },
        "DefaultVersionId": {
          "type": "string"
        },
        "PolicyDocument": {
          "$ref": "#/definitions/document"
        }
      }
    },
    "trackedAction": {
      "type": "object",
      "additionalProperties": false,
      "properties": {
        "ActionName": {
          "type": "string",
          "minLength": 1
        },
        "LastAccessedEntity": {
          "type": "string"
        },
        "LastAccessedTime": {
          "$ref": "#/definitions/isoDate"
        },
        "LastAccessedRegion": {
          "type": "string"
        }
      }
    },
    "service": {
      "type": "object",
      "required": [
        "ServiceName",
        "ServiceNamespace"
      ],
      "additionalProperties": false,
      "properties": {
        "ServiceName": {
          "type": "string"
        },
        "ServiceNamespace": {
          "type": "string",
          "pattern": "^[\\w-]+$"
        },
        "LastAuthenticated": {
          "$ref": "#/definitions/isoDate"
        },
        "LastAuthenticatedEntity": {
          "type": "string"
        },
        "LastAuthenticatedRegion": {
          "type": "string"
        },
        "TotalAuthenticatedEntities": {
          "type": "integer",
          "minimum": 0
        },
        "TrackedActionsLastAccessed": {
          "type": "array",
          "items": {
            "$ref": "#/definitions/trackedAction"
          }
        }
      }
    },
    "entityDetails": {
      "type": "object",
      "required": [
        "EntityInfo"
      ],
      "additionalProperties": false,
      "properties": {
        "EntityInfo": {
          "type": "object",
          "required": [
            "Arn",
            "Name",
            "Type",
            "Id"
          ],
          "additionalProperties": false,
          "properties": {
            "Arn": {
              "type": "string"
            },
            "Name": {
              "type": "string"
            },
            "Type": {
              "enum": [
                "USER",
                "ROLE",
                "GROUP"
              ]
            },
            "Id": {
              "type": "string"
            },
            "Path": {
              "type": "string"
            }
          }
        },
        "LastAuthenticated": {
          "$ref": "#/definitions/isoDate"
        }
      }
    },
    "report": {
      "type": "object",
      "required": [
        "JobType",
        "JobStatus",
        "JobCreationDate",
        "JobCompletionDate",
        "ServicesLastAccessed"
      ],
      "additionalProperties": false,
      "properties": {
        "JobId": {
          "type": "string"
        },
        "JobType": {
          "enum": [
            "ACTION_LEVEL",
            "SERVICE_LEVEL"
          ]
        },
        "JobStatus": {
          "const": "COMPLETED"
        },
        "JobCreationDate": {
          "$ref": "#/definitions/isoDate"
        },
        "JobCompletionDate": {
          "$ref": "#/definitions/isoDate"
        },
        "ServicesLastAccessed": {
          "type": "array",
          "items": {
            "$ref": "#/definitions/service"
          }
        },
        "EntityDetails": {
          "type": "object",
          "additionalProperties": {
            "type": "array",
            "items": {
              "$ref": "#/definitions/entityDetails"
            }
          }
        }
      }
    },
    "collection": {
      "type": "object",
      "required": [
        "Source",
        "ToolVersion",
        "CatalogVersion"
      ],
      "additionalProperties": false,
      "properties": {
        "Source": {
          "enum": [
            "aws",
            "hand-written"
          ]
        },
        "Region": {
          "type": "string"
        },
        "ToolVersion": {
          "type": "string"
        },
        "CatalogVersion": {
          "type": "string"
        },
        "ApiCalls": {
          "type": "integer",
          "minimum": 0
        }
      }
    }
  }
} as const;
